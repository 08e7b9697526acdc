using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Messaging;
using Turumba.Platform;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;
using Turumba.Scheduling.Trigger;

namespace Turumba.Scheduling.ScheduledMessages.Delete;

internal static class DeleteScheduledMessageEndpoint
{
    /// <summary>
    /// Deletes the schedule and its run history; sends it already created stay, except a run
    /// prepared ahead of its time and not released yet, which is cancelled (<see cref="PreparedRuns"/>).
    /// The row lock waits for a trigger holding it, so a run is either created before the delete or not at all.
    /// </summary>
    public static async Task<IResult> HandleAsync(Guid id, TurumbaDbContext db, IMessageStore messages, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var schedule = await db.Set<ScheduledMessage>().FromSql($"select * from scheduling.scheduled_messages where id = {id} for update")
            .FirstOrDefaultAsync(cancellationToken) ?? throw NotFoundException.For("scheduled message", id);
        await PreparedRuns.TakeBackAsync(db, messages, schedule, clock.GetUtcNowForDatabase(), cancellationToken);
        db.Remove(schedule);
        await db.Set<ScheduleRun>().Where(r => r.ScheduledMessageId == id).ExecuteDeleteAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ApiResults.Deleted();
    }
}
