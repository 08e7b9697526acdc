using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Contracts;
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
    public static async Task<IResult> HandleAsync(
        Guid id, UpdateMessageRequest request, TurumbaDbContext db, IPublishEndpoint publish, TimeProvider clock, CancellationToken cancellationToken)
    {
        var message = await MessageLookup.RequireAsync(db, id, tracking: true, cancellationToken);
        var cancel = request.Status is { } status && status != message.Status;
        if (cancel && request.Status != MessageStatus.Cancelled)
        {
            throw RequestValidationException.For("status", "Only 'cancelled' can be set; delivery states are set by the dispatch pipeline.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (cancel)
        {
            var previous = message.Status;
            await CancelAsync(db, message, clock, cancellationToken);
            // Through the bus outbox, with the cancel: a schedule whose run this message was ends cancelled, a group send counts it.
            await publish.Publish(new MessageStatusesChanged([new MessageStatusChange(message.Id, message.CreatedAt, message.AccountId, message.ChannelId,
                message.GroupMessageId, MessageStatus.Cancelled.ToSnakeCase(), null, null, message.UpdatedAt, previous.ToSnakeCase())]), cancellationToken);
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
        await transaction.CommitAsync(cancellationToken);
        return ApiResults.Ok(MessageResponse.From(message));
    }

    /// <summary>
    /// The same compare-and-set dispatch claims with (<c>status = 'queued'</c>), so exactly one of a
    /// cancel and a claim wins: a message the caller is told is cancelled is never handed to a provider.
    /// The row read before is only a guess; the update decides.
    /// </summary>
    private static async Task CancelAsync(TurumbaDbContext db, Message message, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNowForDatabase();
        var cancelled = await db.Set<Message>().ById(message.Id)
            .Where(m => m.Status == MessageStatus.Queued || m.Status == MessageStatus.Scheduled)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Cancelled).SetProperty(m => m.UpdatedAt, now), cancellationToken);
        if (cancelled == 0)
        {
            var current = await db.Set<Message>().AsNoTracking().ById(message.Id).Select(m => m.Status).FirstAsync(cancellationToken);
            throw new ConflictException(
                $"The message is already {current.ToSnakeCase()} and can no longer be cancelled.", new { status = current.ToSnakeCase() });
        }

        // Written already; the tracked row learns it without saving it a second time.
        var entry = db.Entry(message);
        message.Status = MessageStatus.Cancelled;
        message.UpdatedAt = now;
        entry.Property(m => m.Status).OriginalValue = MessageStatus.Cancelled;
        entry.Property(m => m.UpdatedAt).OriginalValue = now;
        entry.Property(m => m.Status).IsModified = false;
        entry.Property(m => m.UpdatedAt).IsModified = false;
    }
}
