using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Turumba.Groups;
using Turumba.Messaging;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;
using Turumba.Scheduling.Recurrence;
using Turumba.Scheduling.ScheduledMessages;
using ScheduledMessage = Turumba.Scheduling.ScheduledMessages.ScheduledMessage;

namespace Turumba.Scheduling.Trigger;

/// <summary>
/// Fires due schedules, one batch per transaction. A single send due within
/// <see cref="SchedulingOptions.Lookahead"/> is fired early, as a <c>scheduled</c> message for the
/// run's time (the release queues it then), so a burst of runs due in the same second is written
/// before that second and only released in it; an edit, pause or delete before the run's time takes
/// the prepared message back (<see cref="PreparedRuns"/>). <c>FOR UPDATE SKIP LOCKED</c> gives each due row
/// to exactly one instance; the send (message or group message, with its dispatch command or
/// <c>GroupSendQueued</c> in the bus outbox), the run row keyed by (schedule, occurrence) and the
/// schedule's next run all commit together or not at all. A crash before the commit leaves the row
/// due and unlocked, so the run is made once, later, by whichever instance gets it first.
/// </summary>
internal sealed class ScheduleTrigger(IServiceScopeFactory scopes, IOptions<SchedulingOptions> options, TimeProvider clock)
{
    /// <summary>Fires one batch; returns how many schedules it claimed.</summary>
    public async Task<int> RunBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<TurumbaDbContext>();
        var now = clock.GetUtcNowForDatabase();
        var batch = options.Value.BatchSize;
        var ahead = now + options.Value.Lookahead;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Set<ScheduledMessage>()
            .FromSql($"""
                select * from scheduling.scheduled_messages
                 where status = 'pending'
                   and (next_trigger_at <= {now} or (send_type = 'single' and next_trigger_at <= {ahead}))
                 order by next_trigger_at
                 limit {batch}
                 for update skip locked
                """)
            .IgnoreQueryFilters()
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        SchedulingMetrics.Due.Add(due.Count);
        var runs = due.Select(s => (Schedule: s, Occurrences: ScheduleFields.Of(s).Occurrences()))
            .Select(p => (p.Schedule, p.Occurrences, At: RunAt(p.Schedule.NextTriggerAt!.Value, p.Occurrences, now)))
            .ToList();
        var fired = await AlreadyFiredAsync(db, runs.Select(r => (r.Schedule.Id, r.At)).ToList(), cancellationToken);
        var made = runs.Where(r => !fired.Contains((r.Schedule.Id, r.At)))
            .Select(r => new ScheduleRun
            {
                ScheduledMessageId = r.Schedule.Id, OccurrenceAt = r.At, AccountId = r.Schedule.AccountId, TriggeredAt = now,
                DelayMs = (long)(now - r.At).TotalMilliseconds, Outcome = "sent",
            })
            .ToDictionary(r => r.ScheduledMessageId);
        var byId = due.ToDictionary(s => s.Id);
        await CreateSingleSendsAsync(db, services, byId, made.Values.Where(r => byId[r.ScheduledMessageId].SendType == SendType.Single).ToList(), cancellationToken);
        await CreateGroupSendsAsync(db, services, byId, made.Values.Where(r => byId[r.ScheduledMessageId].SendType == SendType.Group).ToList(), cancellationToken);

        foreach (var (schedule, occurrences, at) in runs)
        {
            if (made.TryGetValue(schedule.Id, out var run))
            {
                schedule.LastError = run.Error;
                schedule.MessageId = run.MessageId ?? schedule.MessageId;
                schedule.GroupMessageId = run.GroupMessageId ?? schedule.GroupMessageId;
                schedule.TriggerCount++;
                schedule.LastTriggeredAt = now;
                SchedulingMetrics.Runs.Add(1, new KeyValuePair<string, object?>("outcome", run.Outcome));
            }
            else
            {
                SchedulingMetrics.Runs.Add(1, new KeyValuePair<string, object?>("outcome", "duplicate"));
            }

            schedule.NextTriggerAt = occurrences.NextAfter(at);
            if (schedule.NextTriggerAt is null)
            {
                // The last run's send exists but has not ended: triggered until it does (Outcomes.ScheduleOutcomes).
                schedule.Status = run is { Error: null } ? ScheduleStatus.Triggered
                    : !schedule.IsRecurring && schedule.LastError is not null ? ScheduleStatus.Failed
                    : ScheduleStatus.Completed;
            }
        }

        await ScheduleRunWriter.WriteAsync(db, [.. made.Values], due, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var committed = clock.GetUtcNow();
        // A prepared run's lag is its release's (turumba.messaging.release_lag).
        foreach (var run in made.Values.Where(r => r.OccurrenceAt <= now))
        {
            SchedulingMetrics.Lag.Record((committed - run.OccurrenceAt).TotalSeconds);
        }

        return due.Count;
    }

    /// <summary>
    /// The nearest time a pending schedule is to be fired: a single send's run time less the
    /// lookahead, a group send's run time (the partial index <c>ix_scheduled_messages_due</c> answers both).
    /// </summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TurumbaDbContext>();
        var pending = db.Set<ScheduledMessage>().IgnoreQueryFilters().Where(s => s.Status == ScheduleStatus.Pending && s.NextTriggerAt != null);
        var single = await pending.Where(s => s.SendType == SendType.Single).MinAsync(s => s.NextTriggerAt, cancellationToken);
        var group = await pending.Where(s => s.SendType == SendType.Group).MinAsync(s => s.NextTriggerAt, cancellationToken);
        return (single - options.Value.Lookahead, group) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            (var a, var b) => a ?? b,
        };
    }

    // A run still ahead is prepared for its own time; one that has passed fires now, as the latest due
    // occurrence (runs missed while nothing was triggering are not sent one by one).
    private static DateTimeOffset RunAt(DateTimeOffset next, Occurrences occurrences, DateTimeOffset now) =>
        next > now ? next : occurrences.LatestDue(next, now);

    private static async Task CreateSingleSendsAsync(
        TurumbaDbContext db, IServiceProvider services, Dictionary<Guid, ScheduledMessage> schedules, IReadOnlyList<ScheduleRun> runs,
        CancellationToken cancellationToken)
    {
        if (runs.Count == 0)
        {
            return;
        }

        var sends = runs.Select(run =>
        {
            var schedule = schedules[run.ScheduledMessageId];
            var metadata = new JsonObject
            {
                ["scheduled_message_id"] = schedule.Id.ToString(),
                ["occurrence_at"] = run.OccurrenceAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["trigger_delay_ms"] = run.DelayMs,
            };
            return new SingleSend(schedule.AccountId, schedule.ChannelId, schedule.ContactId, schedule.DeliveryAddress, schedule.MessageBody,
                schedule.TemplateId, schedule.CustomValues, metadata, ScheduledAt: run.OccurrenceAt > run.TriggeredAt ? run.OccurrenceAt : null);
        }).ToList();
        var results = await services.GetRequiredService<ISingleSends>()
            .AddManyAsync(db, services.GetRequiredService<ISendEndpointProvider>(), sends, cancellationToken);
        foreach (var (run, result) in runs.Zip(results))
        {
            run.MessageId = result.MessageId;
            if (result.Error is not null)
            {
                (run.Outcome, run.Error) = ("failed", result.Error);
            }
        }
    }

    private static async Task CreateGroupSendsAsync(
        TurumbaDbContext db, IServiceProvider services, Dictionary<Guid, ScheduledMessage> schedules, IReadOnlyList<ScheduleRun> runs,
        CancellationToken cancellationToken)
    {
        var group = services.GetRequiredService<IGroupSends>();
        var publish = services.GetRequiredService<IPublishEndpoint>();
        foreach (var run in runs)
        {
            var schedule = schedules[run.ScheduledMessageId];
            try
            {
                run.GroupMessageId = await group.AddQueuedAsync(db, publish, new GroupSend(schedule.AccountId, schedule.ChannelId,
                    schedule.ContactGroupIds, schedule.ExcludeContactIds, schedule.TemplateId, schedule.MessageBody, schedule.CustomValues,
                    schedule.Name ?? "Scheduled message",
                    schedule.DeliverAt == DeliverAt.RecipientLocal ? new RecipientLocalTime(run.OccurrenceAt, schedule.Timezone) : null), cancellationToken);
            }
            catch (ApiException ex)
            {
                (run.Outcome, run.Error) = ("failed", ex.Message);
            }
        }
    }

    // Under the row locks no other trigger can fire these runs now; a run found here was made by an
    // earlier transaction (an edit that moved next_trigger_at back onto a fired run), and is not made again.
    private static async Task<HashSet<(Guid, DateTimeOffset)>> AlreadyFiredAsync(
        TurumbaDbContext db, IReadOnlyList<(Guid Id, DateTimeOffset At)> runs, CancellationToken cancellationToken)
    {
        var ids = runs.Select(r => r.Id).ToList();
        var times = runs.Select(r => r.At).Distinct().ToList();
        var found = await db.Set<ScheduleRun>().AsNoTracking()
            .Where(r => ids.Contains(r.ScheduledMessageId) && times.Contains(r.OccurrenceAt))
            .Select(r => new { r.ScheduledMessageId, r.OccurrenceAt })
            .ToListAsync(cancellationToken);
        return found.Select(r => (r.ScheduledMessageId, r.OccurrenceAt)).ToHashSet();
    }
}
