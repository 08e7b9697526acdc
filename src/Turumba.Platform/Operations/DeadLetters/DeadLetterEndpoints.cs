using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Turumba.Platform.Api;
using Turumba.Platform.Api.OpenApi;
using Turumba.Platform.Tenancy;

namespace Turumba.Platform.Operations.DeadLetters;

internal sealed class ReplayDeadLettersValidator : AbstractValidator<ReplayDeadLettersRequest>
{
    public ReplayDeadLettersValidator() =>
        RuleFor(r => r.MessageIds).Must(ids => ids is null || (ids.Count is > 0 and <= DeadLetterQueues.MaxPerReplay && ids.All(id => !string.IsNullOrWhiteSpace(id))))
            .WithMessage($"message_ids, when given, lists 1 to {DeadLetterQueues.MaxPerReplay} message ids; leave it out to replay the whole queue.")
            .OverridePropertyName("message_ids");
}

/// <summary><c>/v1/admin/dead-letters</c>: error queues for operator keys (<see cref="ApiKeyScopes.Operator"/>); tenant keys get 403.</summary>
internal static class DeadLetterEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapApiGroup("admin/dead-letters").RequireAuthorization(ApiKeyScopes.OperatorPolicy);
        admin.MapGet("/", async (DeadLetterQueues queues, Persistence.TurumbaDbContext db, CancellationToken ct) =>
                ApiResults.Ok(new[] { await OutboxDeadLetters.ListAsync(db, ct) }.Concat(await queues.ListAsync(ct)).ToList()))
            .WithName("ListDeadLetters")
            .WithSummary("List error queues")
            .WithDescription("Every error queue on the broker's virtual host (MassTransit's <queue>_error: messages whose consumer failed all its retries), " +
                "with its message count and up to five samples (message id and type, exception type and message, when it failed). Reading samples hands them back: nothing is removed. " +
                "The first entry, queue \"outbox\", is the bus outbox's dead letters: messages the outbox could not send after Turumba:Outbox:DeadLetterAfter attempts (newest first; not replayable here). " +
                "Needs an operator key (accounts create --operator) and the RabbitMQ management plugin.")
            .ProducesData<IReadOnlyList<DeadLetterQueue>>()
            .ProducesError(StatusCodes.Status403Forbidden, "forbidden: the key is not an operator's.");
        admin.MapPost("/{queue}/replay", async (string queue, ReplayDeadLettersRequest? request, DeadLetterQueues queues, CancellationToken ct) =>
            ApiResults.Ok(await queues.ReplayAsync(queue, request?.MessageIds, ct)))
            .Validate<ReplayDeadLettersRequest>()
            .WithName("ReplayDeadLetters")
            .WithSummary("Move dead letters back to their queue")
            .WithDescription($"Moves the messages of an error queue (all, up to {DeadLetterQueues.MaxPerReplay} per call, or those named in message_ids) back to the queue they failed on, " +
                "without their fault headers, and reports how many moved, how many remain and which named ids were not found. A replayed dispatch command never sends twice: dispatch claims each message once.")
            .ProducesData<DeadLetterReplay>()
            .ProducesError(StatusCodes.Status403Forbidden, "forbidden: the key is not an operator's.")
            .ProducesError(StatusCodes.Status404NotFound, "not_found: no such queue, or the queue it came from no longer exists.");
    }
}
