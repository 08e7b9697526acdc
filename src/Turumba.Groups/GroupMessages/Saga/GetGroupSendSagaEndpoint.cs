using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Groups.Saga;
using Turumba.Platform;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Groups.GroupMessages.Saga;

/// <summary><c>GET /v1/group-messages/{id}/saga</c>: where the send's saga is, what it counted and the last events it handled.</summary>
internal static class GetGroupSendSagaEndpoint
{
    public static async Task<IResult> HandleAsync(Guid id, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        // The tenant filter on the group message is what scopes the saga to the caller's account.
        var group = await db.Set<GroupMessage>().AsNoTracking().Where(g => g.Id == id).Select(g => new { g.Id, g.Status }).FirstOrDefaultAsync(cancellationToken)
            ?? throw NotFoundException.For("group message", id);
        var saga = await db.Set<GroupSendState>().AsNoTracking().FirstOrDefaultAsync(s => s.CorrelationId == group.Id, cancellationToken)
            ?? throw new NotFoundException($"Group message {id} has no saga: it is {group.Status.ToSnakeCase()} and was never queued.");
        return ApiResults.Ok(GroupSendSagaResponse.From(saga));
    }
}

internal sealed record GroupSendSagaResponse(
    Guid GroupMessageId,
    string State,
    GroupSendSagaCounters Counters,
    GroupSendSagaFanOut FanOut,
    DateTimeOffset QueuedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<GroupSendSagaEvent> RecentEvents)
{
    public static GroupSendSagaResponse From(GroupSendState s) => new(
        s.CorrelationId,
        StateName(s.CurrentState),
        new GroupSendSagaCounters(s.Recipients, s.Skipped, s.Suppressed, s.Pending, s.Sent, s.Delivered, s.Failed, s.Cancelled),
        new GroupSendSagaFanOut(s.FanOutCursor, s.FanOutPages, s.FanOutCompletedAt),
        s.QueuedAt,
        s.CompletedAt,
        s.UpdatedAt,
        s.RecentEvents.Select(GroupSendSagaEvent.Parse).ToList());

    private static string StateName(string state) => string.Concat(state.Select((c, i) =>
        char.IsUpper(c) ? (i > 0 ? "_" : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));
}

internal sealed record GroupSendSagaCounters(int TotalRecipients, int Skipped, int Suppressed, int Pending, int Sent, int Delivered, int Failed, int Cancelled);

internal sealed record GroupSendSagaFanOut(Guid? Cursor, int Pages, DateTimeOffset? CompletedAt);

/// <summary>One event, or a run of the same repeating event: <see cref="Count"/> of them, the latest at <see cref="At"/> with its <see cref="Detail"/>.</summary>
internal sealed record GroupSendSagaEvent(DateTimeOffset At, string Event, string Detail, int Count)
{
    public static GroupSendSagaEvent Parse(string recorded)
    {
        var parts = recorded.Split('|', 3);
        var (name, count) = GroupSendState.EventName(recorded);
        return new GroupSendSagaEvent(DateTimeOffset.Parse(parts[0], CultureInfo.InvariantCulture), name, parts.Length > 2 ? parts[2] : string.Empty, count);
    }
}
