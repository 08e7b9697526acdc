using Microsoft.EntityFrameworkCore;
using Turumba.Messaging;
using Turumba.Platform.Persistence;
using Turumba.Scheduling.ScheduledMessages;
using ScheduledMessage = Turumba.Scheduling.ScheduledMessages.ScheduledMessage;

namespace Turumba.Scheduling.Trigger;

/// <summary>
/// Runs the trigger prepared ahead of their time (<see cref="SchedulingOptions.Lookahead"/>) belong to
/// the schedule as it was when they were prepared. An edit, pause, cancel or delete before a run's
/// time takes it back: its message, still <c>scheduled</c>, is cancelled, the run row removed, and
/// the schedule put back as if the run had not been fired, so the change applies to that run too.
/// A run whose message has been released already is past taking back and stays.
/// </summary>
internal static class PreparedRuns
{
    /// <summary>Under the schedule's row lock, in the caller's transaction; returns how many runs were taken back.</summary>
    public static async Task<int> TakeBackAsync(
        TurumbaDbContext db, IMessageStore messages, ScheduledMessage schedule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (schedule.SendType != SendType.Single || schedule.Status is not (ScheduleStatus.Pending or ScheduleStatus.Triggered))
        {
            return 0;
        }

        var ahead = await db.Set<ScheduleRun>().AsNoTracking()
            .Where(r => r.ScheduledMessageId == schedule.Id && r.OccurrenceAt > now && r.MessageId != null)
            .OrderBy(r => r.OccurrenceAt)
            .ToListAsync(cancellationToken);
        if (ahead.Count == 0)
        {
            return 0;
        }

        var cancelled = (await messages.CancelScheduledAsync(db, ahead.Select(r => r.MessageId!.Value).ToList(), cancellationToken)).ToHashSet();
        var taken = ahead.Where(r => cancelled.Contains(r.MessageId!.Value)).ToList();
        if (taken.Count == 0)
        {
            return 0;
        }

        var times = taken.Select(r => r.OccurrenceAt).ToList();
        await db.Set<ScheduleRun>().Where(r => r.ScheduledMessageId == schedule.Id && times.Contains(r.OccurrenceAt)).ExecuteDeleteAsync(cancellationToken);
        var first = times[0];
        var previous = await db.Set<ScheduleRun>().AsNoTracking()
            .Where(r => r.ScheduledMessageId == schedule.Id && r.OccurrenceAt < first)
            .OrderByDescending(r => r.OccurrenceAt)
            .FirstOrDefaultAsync(cancellationToken);
        schedule.NextTriggerAt = first;
        schedule.Status = ScheduleStatus.Pending;
        schedule.TriggerCount -= taken.Count;
        schedule.LastTriggeredAt = previous?.TriggeredAt;
        schedule.MessageId = previous?.MessageId;
        schedule.LastError = previous?.Error;
        return taken.Count;
    }
}
