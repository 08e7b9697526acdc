using Turumba.Messaging;
using Turumba.Platform.Redis.Counters;

namespace Turumba.Groups.Progress;

/// <summary>
/// A group send's live counters in Redis: how many of its messages are pending, sent, delivered,
/// failed or cancelled. Only this module writes them: the fan-out adds pending, a cancel moves
/// queued to cancelled, and <see cref="GroupProgressConsumer"/> applies the status events other
/// modules publish, per batch. <see cref="GroupProgressService"/> reads them about once a second
/// and flushes them to PostgreSQL and the saga.
/// </summary>
internal sealed class GroupProgressCounters(RedisCounters counters)
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>The counter a message in <paramref name="status"/> is counted under.</summary>
    public static string BucketOf(MessageStatus status) => status switch
    {
        MessageStatus.Scheduled or MessageStatus.Queued or MessageStatus.Sending => Pending,
        MessageStatus.Sent => Sent,
        MessageStatus.Delivered or MessageStatus.Read => Delivered,
        MessageStatus.Failed or MessageStatus.PermanentlyFailed => Failed,
        MessageStatus.Cancelled => Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Counts per status (from the table) summed into the counters.</summary>
    public static GroupProgressSnapshot Snapshot(IReadOnlyDictionary<MessageStatus, int> byStatus)
    {
        var buckets = byStatus.GroupBy(s => BucketOf(s.Key)).ToDictionary(b => b.Key, b => b.Sum(s => s.Value), StringComparer.Ordinal);
        return new GroupProgressSnapshot(buckets.GetValueOrDefault(Pending), buckets.GetValueOrDefault(Sent), buckets.GetValueOrDefault(Delivered),
            buckets.GetValueOrDefault(Failed), buckets.GetValueOrDefault(Cancelled));
    }

    /// <summary>Net change per group and counter of a batch of moves; moves within one bucket cancel out.</summary>
    public static Dictionary<Guid, Dictionary<string, long>> Deltas(IEnumerable<GroupStatusMove> moves)
    {
        var deltas = new Dictionary<Guid, Dictionary<string, long>>();
        foreach (var move in moves)
        {
            var from = BucketOf(move.From);
            var to = BucketOf(move.To);
            if (from == to)
            {
                continue;
            }

            if (!deltas.TryGetValue(move.GroupMessageId, out var group))
            {
                deltas[move.GroupMessageId] = group = new Dictionary<string, long>(StringComparer.Ordinal);
            }

            group[from] = group.GetValueOrDefault(from) - 1;
            group[to] = group.GetValueOrDefault(to) + 1;
        }

        return deltas;
    }

    /// <summary>New messages of a group send, all pending.</summary>
    public Task AddPendingAsync(Guid groupMessageId, int count) =>
        count == 0 ? Task.CompletedTask : counters.IncrementAsync(Subject(groupMessageId), [new(Pending, count)]);

    /// <summary><paramref name="count"/> messages of a send moved from one status to another (a cancel).</summary>
    public Task MoveAsync(Guid groupMessageId, MessageStatus from, MessageStatus to, int count) =>
        count == 0 || BucketOf(from) == BucketOf(to)
            ? Task.CompletedTask
            : counters.IncrementAsync(Subject(groupMessageId), [new(BucketOf(from), -count), new(BucketOf(to), count)]);

    /// <summary>Applies a batch of moves: one atomic increment per group touched.</summary>
    public Task RecordAsync(IEnumerable<GroupStatusMove> moves) =>
        Task.WhenAll(Deltas(moves).Select(group => counters.IncrementAsync(Subject(group.Key), group.Value.ToList())));

    /// <summary>The counters of a send, or null when Redis has none (expired, or Redis was flushed).</summary>
    public async Task<GroupProgressSnapshot?> GetAsync(Guid groupMessageId)
    {
        var values = await counters.GetAsync(Subject(groupMessageId));
        return values.Count == 0
            ? null
            : new GroupProgressSnapshot(
                (int)values.GetValueOrDefault(Pending), (int)values.GetValueOrDefault(Sent), (int)values.GetValueOrDefault(Delivered),
                (int)values.GetValueOrDefault(Failed), (int)values.GetValueOrDefault(Cancelled));
    }

    public Task DeleteAsync(Guid groupMessageId) => counters.DeleteAsync(Subject(groupMessageId));

    private static string Subject(Guid groupMessageId) => $"group:{groupMessageId}";
}

/// <summary>A message of a group send moved from one status to another.</summary>
internal readonly record struct GroupStatusMove(Guid GroupMessageId, MessageStatus From, MessageStatus To);

internal sealed record GroupProgressSnapshot(int Pending, int Sent, int Delivered, int Failed, int Cancelled);
