using MassTransit;
using Microsoft.AspNetCore.Http;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;
using Turumba.Platform.Tenancy;

namespace Turumba.Messaging.Messages.Create;

/// <summary>
/// <c>POST /v1/messages</c>: stores the message as queued and sends its dispatch command in the
/// same transaction (bus outbox); a future <c>scheduled_at</c> stores it as scheduled instead, and
/// the scheduling role releases it at that time (<see cref="Scheduled.ScheduledMessageReleaseService"/>).
/// </summary>
internal static class CreateMessageEndpoint
{
    public static async Task<IResult> HandleAsync(
        CreateMessageRequest request,
        TurumbaDbContext db,
        ICurrentAccount account,
        SingleSends sends,
        ISendEndpointProvider sendEndpoints,
        CancellationToken cancellationToken)
    {
        var send = request.ToSingleSend(account.RequiredAccountId);
        var message = await sends.AddAsync(db, sendEndpoints, send, send.ScheduledAt, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created($"/v1/messages/{message.Id}", MessageResponse.From(message));
    }
}
