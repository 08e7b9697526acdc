using System.Data;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Turumba.Contracts;
using Turumba.Groups.FanOut;
using Turumba.Messaging;
using Turumba.Platform.Hosting;

namespace Turumba.Groups.Progress;

/// <summary>
/// Role <c>groups</c>, one leader at a time (a PostgreSQL advisory lock): every second, reads the
/// Redis counters of the group sends that are running or finished within the hour, writes them to
/// their rows (one statement) and reports them to each send's saga. When Redis says a finished
/// fan-out has nothing pending — or has no counters it can trust (<see cref="Untrustworthy"/>) —
/// the send's messages are counted in the table instead, and only such an exact report can finish the send: Redis makes progress
/// cheap to watch, the table makes the final figures right. A finished fan-out whose figures have
/// not moved for <see cref="StallAfter"/> is counted too, so a status event that never reached the
/// counters cannot keep a send running. It also restarts sends left
/// <c>queued</c> without a saga: their start event was lost.
/// </summary>
internal sealed partial class GroupProgressService(
    NpgsqlDataSource dataSource, IMessageStore messages, GroupProgressCounters counters, IBus bus, IOptions<FanOutOptions> options, TimeProvider clock,
    ILogger<GroupProgressService> logger) : PeriodicService(clock, logger)
{
    private const long LeaderLockKey = 0x7475_7275_6d62_6101; // "turumba" + 1

    private const string ActiveSql = """
        select id, status, fan_out_completed, total_recipients, pending_count, sent_count, delivered_count, failed_count
          from groups.group_messages
         where status = 'processing'
            or (status in ('completed', 'partially_failed', 'failed', 'cancelled') and completed_at > now() - interval '1 hour')
        """;

    private const string LostSql = """
        select g.id, g.account_id
          from groups.group_messages g
         where g.status = 'queued' and g.updated_at < now() - $1::interval
           and not exists (select 1 from groups.group_send_sagas s where s.correlation_id = g.id)
         limit 100
        """;

    private const string FlushSql = """
        update groups.group_messages g
           set pending_count = c.pending, sent_count = c.sent, delivered_count = c.delivered, failed_count = c.failed, updated_at = now()
          from unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::int[]) as c(id, pending, sent, delivered, failed)
         where g.id = c.id
        """;

    private static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(15);

    private readonly Dictionary<Guid, (GroupProgressSnapshot Figures, DateTimeOffset Since)> _unmoved = [];
    private NpgsqlConnection? _leader;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (await IsLeaderAsync(cancellationToken))
        {
            await RestartLostAsync(cancellationToken);
            await RefreshAsync(cancellationToken);
        }
    }

    // The leader's connection is only touched from the service's loop (runs, failures, stop), so nothing races on it.
    protected override Task OnFailedAsync() => DropLeadershipAsync();

    protected override Task OnStoppedAsync() => DropLeadershipAsync();

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var active = await ActiveAsync(cancellationToken);
        if (active.Count == 0)
        {
            return;
        }

        var live = await Task.WhenAll(active.Select(a => counters.GetAsync(a.Id)));
        var now = Clock.GetUtcNow();
        var needCount = active.Where((a, i) => Untrustworthy(a, live[i]) || (a.Processing && a.FanOutCompleted && (live[i]!.Pending <= 0 || Stalled(a.Id, live[i]!, now))))
            .Select(a => a.Id).ToArray();
        var exact = needCount.Length == 0 ? [] : await CountAsync(needCount, cancellationToken);
        foreach (var gone in _unmoved.Keys.Except(active.Where(a => a.Processing).Select(a => a.Id)).ToList())
        {
            _unmoved.Remove(gone);
        }

        var reports = new List<GroupSendProgressed>(active.Count);
        for (var i = 0; i < active.Count; i++)
        {
            var group = active[i];
            var isExact = exact.TryGetValue(group.Id, out var counted);
            var figures = isExact ? counted! : live[i] ?? new GroupProgressSnapshot(0, 0, 0, 0, 0);
            // Finished sends are reported only when a receipt moved their figures; running ones every time.
            if (group.Processing || figures.Sent != group.Sent || figures.Delivered != group.Delivered || figures.Failed != group.Failed || figures.Pending != group.Pending)
            {
                reports.Add(new GroupSendProgressed(group.Id, group.FanOutCompleted, group.Recipients, Math.Max(0, figures.Pending), figures.Sent,
                    figures.Delivered, figures.Failed, figures.Cancelled, isExact, now));
            }
        }

        if (reports.Count == 0)
        {
            return;
        }

        await FlushAsync(reports, cancellationToken);
        await bus.PublishBatch(reports, cancellationToken);
    }

    /// <summary>
    /// Counters Redis lost (flushed, restarted empty, expired) are missing or, once later changes
    /// recreated them, sum to less than the messages the fan-out committed: every move is -1 and +1, so
    /// only the pending the fan-out added makes up the total. Such a send is counted in the table on
    /// every run until it leaves the window; Redis is not reseeded, as changes racing the count would
    /// be lost or counted twice.
    /// </summary>
    private static bool Untrustworthy(ActiveGroup group, GroupProgressSnapshot? live) =>
        live is null || (group.FanOutCompleted && live.Pending + live.Sent + live.Delivered + live.Failed + live.Cancelled != group.Recipients);

    /// <summary>
    /// Whether a running send's live figures have stayed the same for <see cref="StallAfter"/>; then
    /// the wait starts again, so a send paused for minutes is counted once per <see cref="StallAfter"/>.
    /// </summary>
    private bool Stalled(Guid id, GroupProgressSnapshot figures, DateTimeOffset now)
    {
        if (_unmoved.TryGetValue(id, out var seen) && seen.Figures == figures && now - seen.Since < StallAfter)
        {
            return false;
        }

        var stalled = seen.Figures == figures;
        _unmoved[id] = (figures, now);
        return stalled;
    }

    private async Task RestartLostAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(LostSql);
        command.Parameters.Add(new NpgsqlParameter { Value = options.Value.RestartQueuedAfter });
        var lost = new List<GroupSendQueued>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                lost.Add(new GroupSendQueued(reader.GetGuid(0), reader.GetGuid(1)));
            }
        }

        foreach (var send in lost)
        {
            LogRestarting(Logger, send.GroupMessageId);
        }

        // A duplicate of a start that was only late is ignored by the saga.
        await bus.PublishBatch(lost, cancellationToken);
    }

    private async Task<List<ActiveGroup>> ActiveAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ActiveSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var active = new List<ActiveGroup>();
        while (await reader.ReadAsync(cancellationToken))
        {
            active.Add(new ActiveGroup(reader.GetGuid(0), reader.GetString(1) == "processing", reader.GetBoolean(2), reader.GetInt32(3),
                reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7)));
        }

        return active;
    }

    private async Task<Dictionary<Guid, GroupProgressSnapshot>> CountAsync(Guid[] ids, CancellationToken cancellationToken) =>
        (await messages.CountOfGroupsAsync(ids, cancellationToken)).ToDictionary(c => c.Key, c => GroupProgressCounters.Snapshot(c.Value));

    private async Task FlushAsync(List<GroupSendProgressed> reports, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(FlushSql);
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.GroupMessageId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.Pending).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.Sent).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.Delivered).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.Failed).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Holds a session-level advisory lock on a connection of its own while it leads.</summary>
    private async Task<bool> IsLeaderAsync(CancellationToken cancellationToken)
    {
        if (_leader is not null)
        {
            // A lost session loses the lock with it; find out before acting as leader.
            await using var ping = new NpgsqlCommand("select 1", _leader);
            await ping.ExecuteScalarAsync(cancellationToken);
            return true;
        }

        // Held as the leader's before asking, so a failure half-way is cleaned up by DropLeadershipAsync.
        _leader = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("select pg_try_advisory_lock($1)", _leader);
        command.Parameters.Add(new NpgsqlParameter { Value = LeaderLockKey });
        if (await command.ExecuteScalarAsync(cancellationToken) is true)
        {
            return true;
        }

        await _leader.DisposeAsync();
        _leader = null;
        return false;
    }

    /// <summary>Gives up leadership without ever throwing: a session that broke lost its lock with it and is not used again.</summary>
    private async Task DropLeadershipAsync()
    {
        if (_leader is not { } leader)
        {
            return;
        }

        _leader = null;
        try
        {
            if (leader.FullState == ConnectionState.Open)
            {
                // A pooled connection would otherwise go back to the pool still holding the lock.
                await using var unlock = new NpgsqlCommand("select pg_advisory_unlock_all()", leader);
                await unlock.ExecuteNonQueryAsync();
            }
        }
        catch (Exception ex) when (TransientFailure.Is(ex))
        {
            // Unknown whether the lock went: the session must not be handed to anyone else.
            NpgsqlConnection.ClearPool(leader);
        }
        finally
        {
            await leader.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group message {GroupMessageId} is queued without a saga: its start was lost; starting it again")]
    private static partial void LogRestarting(ILogger Logger, Guid groupMessageId);

    private sealed record ActiveGroup(Guid Id, bool Processing, bool FanOutCompleted, int Recipients, int Pending, int Sent, int Delivered, int Failed);
}
