using MassTransit;
using Turumba.Platform.Persistence;

namespace Turumba.Groups;

/// <summary>A send to the members of contact groups: a template, or a body turned into an auto-generated template.</summary>
public sealed record GroupSend(
    Guid AccountId,
    Guid ChannelId,
    IReadOnlyList<Guid> ContactGroupIds,
    IReadOnlyList<Guid>? ExcludeContactIds,
    Guid? TemplateId,
    string? MessageBody,
    IReadOnlyDictionary<string, string>? CustomValues,
    string? Name,
    RecipientLocalTime? RecipientLocal = null);

/// <summary>
/// <c>deliver_at: recipient_local</c>: each recipient gets the send at the wall-clock time that
/// <see cref="At"/> shows in <see cref="Timezone"/>, in the recipient's own zone (its contact's
/// <c>timezone</c> attribute; <see cref="Timezone"/> for those without one).
/// </summary>
public sealed record RecipientLocalTime(DateTimeOffset At, string Timezone);

/// <summary>Starts group sends for other modules (the scheduling trigger) exactly as <c>POST /v1/group-messages</c> with <c>status: queued</c> does.</summary>
public interface IGroupSends
{
    /// <summary>
    /// Adds (not saves) a queued group message and publishes <c>GroupSendQueued</c> through
    /// <paramref name="publish"/> (the bus outbox of the same context), so both commit with the
    /// caller's save; the saga takes it from there. Throws an <see cref="Platform.Api.ApiException"/>
    /// when the send cannot be made (no such channel, group or template) before anything is added.
    /// </summary>
    Task<Guid> AddQueuedAsync(TurumbaDbContext db, IPublishEndpoint publish, GroupSend send, CancellationToken cancellationToken);
}
