using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Turumba.Platform;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages.Update;

/// <summary>
/// What a caller may change on a message: cancel it while it has not been handed to a provider
/// (<c>status: cancelled</c>), and merge keys into its metadata. Delivery state is the pipeline's.
/// </summary>
internal sealed record UpdateMessageRequest(MessageStatus? Status, JsonObject? Metadata);

internal static class UpdateMessageEndpoint
{
    public static async Task<IResult> HandleAsync(Guid id, UpdateMessageRequest request, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var message = await MessageLookup.RequireAsync(db, id, tracking: true, cancellationToken);
        if (request.Status is { } status && status != message.Status)
        {
            if (status != MessageStatus.Cancelled)
            {
                throw RequestValidationException.For("status", "Only 'cancelled' can be set; delivery states are set by the dispatch pipeline.");
            }

            if (message.Status is not (MessageStatus.Scheduled or MessageStatus.Queued))
            {
                throw new ConflictException($"The message is already {message.Status.ToSnakeCase()} and can no longer be cancelled.");
            }

            message.Status = MessageStatus.Cancelled;
        }

        if (request.Metadata is not null)
        {
            var merged = message.Metadata.DeepClone().AsObject();
            foreach (var (key, value) in request.Metadata)
            {
                merged[key] = value?.DeepClone();
            }

            message.Metadata = merged;
        }

        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Ok(MessageResponse.From(message));
    }
}
