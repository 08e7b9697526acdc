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
        var metadata = request.Metadata?.DeepClone().AsObject() ?? [];
        if (request.MediaUrl is not null)
        {
            metadata["media_url"] = request.MediaUrl;
            metadata["media_type"] = request.MediaType;
        }

        var send = new SingleSend(account.RequiredAccountId, request.ChannelId!.Value, request.ContactId, request.DeliveryAddress,
            request.MessageBody, request.TemplateId, request.CustomValues, metadata, request.IgnoreQuietHours ?? false);
        var message = await sends.AddAsync(db, sendEndpoints, send, request.ScheduledAt, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created($"/v1/messages/{message.Id}", MessageResponse.From(message));
    }
}
