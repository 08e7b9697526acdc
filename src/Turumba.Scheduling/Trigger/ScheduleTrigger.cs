using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Turumba.Groups;
using Turumba.Messaging;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;
using Turumba.Scheduling.ScheduledMessages;
using ScheduledMessage = Turumba.Scheduling.ScheduledMessages.ScheduledMessage;

namespace Turumba.Scheduling.Trigger;

/// <summary>
/// Fires due schedules, one batch per transaction. <c>FOR UPDATE SKIP LOCKED</c> gives each due row
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

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Set<ScheduledMessage>()
            .FromSql($"""
                select * from scheduling.scheduled_messages
                 where status = 'pending' and next_trigger_at <= {now}
                 order by next_trigger_at
                 limit {batch}
                 for update skip locked
                """)
            .IgnoreQueryFilters()
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        SchedulingMetrics.Due.Add(due.Count);
        var runs = due.Select(s => (Schedule: s, Occurrences: ScheduleFields.Of(s).Occurrences()))
            .Select(p => (p.Schedule, p.Occurrences, At: p.Occurrences.LatestDue(p.Schedule.NextTriggerAt!.Value, now)))
            .ToList();
        var fired = await AlreadyFiredAsync(db, runs.Select(r => (r.Schedule.Id, r.At)).ToList(), cancellationToken);
        var single = services.GetRequiredService<ISingleSends>();
        var group = services.GetRequiredService<IGroupSends>();
        var sendEndpoints = services.GetRequiredService<ISendEndpointProvider>();
        var publish = services.GetRequiredService<IPublishEndpoint>();

        var lags = new List<double>(runs.Count);
        foreach (var (schedule, occurrences, at) in runs)
        {
            if (!fired.Contains((schedule.Id, at)))
            {
                var run = new ScheduleRun { ScheduledMessageId = schedule.Id, OccurrenceAt = at, AccountId = schedule.AccountId, TriggeredAt = now,
                    DelayMs = (long)(now - at).TotalMilliseconds, Outcome = "sent" };
                try
                {
                    await CreateSendAsync(db, schedule, run, single, group, sendEndpoints, publish, cancellationToken);
                    schedule.LastError = null;
                }
                catch (ApiException ex)
                {
                    run.Outcome = "failed";
                    run.Error = schedule.LastError = ex.Message;
                }

                db.Add(run);
                schedule.TriggerCount++;
                schedule.LastTriggeredAt = now;
                lags.Add((now - at).TotalSeconds);
                SchedulingMetrics.Runs.Add(1, new KeyValuePair<string, object?>("outcome", run.Outcome));
            }
            else
            {
                SchedulingMetrics.Runs.Add(1, new KeyValuePair<string, object?>("outcome", "duplicate"));
            }

            schedule.NextTriggerAt = occurrences.NextAfter(at);
            if (schedule.NextTriggerAt is null)
            {
                schedule.Status = !schedule.IsRecurring && schedule.LastError is not null ? ScheduleStatus.Failed : ScheduleStatus.Completed;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var lag in lags)
        {
            SchedulingMetrics.Lag.Record(lag);
        }

        return due.Count;
    }

    private static async Task CreateSendAsync(
        TurumbaDbContext db, ScheduledMessage schedule, ScheduleRun run, ISingleSends single, IGroupSends group,
        ISendEndpointProvider sendEndpoints, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (schedule.SendType == SendType.Single)
        {
            var metadata = new JsonObject
            {
                ["scheduled_message_id"] = schedule.Id.ToString(),
                ["occurrence_at"] = run.OccurrenceAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["trigger_delay_ms"] = run.DelayMs,
            };
            run.MessageId = schedule.MessageId = await single.AddQueuedAsync(db, sendEndpoints, new SingleSend(schedule.AccountId, schedule.ChannelId,
                schedule.ContactId, schedule.DeliveryAddress, schedule.MessageBody, schedule.TemplateId, schedule.CustomValues, metadata), cancellationToken);
        }
        else
        {
            run.GroupMessageId = schedule.GroupMessageId = await group.AddQueuedAsync(db, publish, new GroupSend(schedule.AccountId, schedule.ChannelId,
                schedule.ContactGroupIds, schedule.ExcludeContactIds, schedule.TemplateId, schedule.MessageBody, schedule.CustomValues,
                schedule.Name ?? "Scheduled message",
                schedule.DeliverAt == DeliverAt.RecipientLocal ? new RecipientLocalTime(run.OccurrenceAt, schedule.Timezone) : null), cancellationToken);
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
