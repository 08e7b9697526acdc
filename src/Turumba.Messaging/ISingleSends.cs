using System.Text.Json.Nodes;
using MassTransit;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging;

/// <summary>
/// One outbound message: to a contact or an address, a body or a template rendered for the contact.
/// A future <see cref="ScheduledAt"/> makes it <c>scheduled</c>: written now, released for dispatch at that time.
/// </summary>
public sealed record SingleSend(
    Guid AccountId,
    Guid ChannelId,
    Guid? ContactId,
    string? DeliveryAddress,
    string? MessageBody,
    Guid? TemplateId,
    IReadOnlyDictionary<string, string>? CustomValues,
    JsonObject? Metadata,
    bool IgnoreQuietHours = false,
    DateTimeOffset? ScheduledAt = null);

/// <summary>What became of one send of a batch: its message, or why it could not be made (the message of the API error it would have been).</summary>
public sealed record SingleSendResult(Guid? MessageId, string? Error);

/// <summary>Creates single sends for other modules (the scheduling trigger) exactly as <c>POST /v1/messages</c> does.</summary>
public interface ISingleSends
{
    /// <summary>
    /// Adds (not saves) a queued message to <paramref name="db"/> and sends its dispatch command
    /// through <paramref name="sendEndpoints"/> (the bus outbox of the same context), so both commit
    /// with the caller's save. A send that cannot be made (no such channel, disabled, no address, a
    /// template that skips the contact) throws an <see cref="Platform.Api.ApiException"/> before anything is added.
    /// </summary>
    Task<Guid> AddQueuedAsync(TurumbaDbContext db, ISendEndpointProvider sendEndpoints, SingleSend send, CancellationToken cancellationToken);

    /// <summary>
    /// Many sends at once, set-based: channels, contacts and templates are looked up once for the
    /// batch, the messages are written with one COPY inside <paramref name="db"/>'s current
    /// transaction (which the caller must hold, and commit after its save), and the dispatch commands
    /// of those due now go to the bus outbox a hundred per channel at a time (a send with a future
    /// <see cref="SingleSend.ScheduledAt"/> gets none: it waits <c>scheduled</c>). A send that cannot be
    /// made is answered with the error it would have raised; the others are made. Results are in the order of <paramref name="sends"/>.
    /// </summary>
    Task<IReadOnlyList<SingleSendResult>> AddManyAsync(
        TurumbaDbContext db, ISendEndpointProvider sendEndpoints, IReadOnlyList<SingleSend> sends, CancellationToken cancellationToken);
}
