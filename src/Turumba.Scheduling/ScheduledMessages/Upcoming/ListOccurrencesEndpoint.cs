using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using NodaTime.Text;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Scheduling.ScheduledMessages.Upcoming;

internal sealed record OccurrenceResponse(DateTimeOffset At, string LocalTime, string Timezone);

/// <summary><c>GET /v1/scheduled-messages/{id}/occurrences?count=N</c>: the next runs, in UTC and in the schedule's zone, so a rule can be checked before it fires.</summary>
internal static class ListOccurrencesEndpoint
{
    private static readonly LocalDateTimePattern Local = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss");

    public static async Task<IResult> HandleAsync(Guid id, int? count, TurumbaDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (count is < 1 or > 100)
        {
            throw RequestValidationException.For("count", "count must be between 1 and 100.");
        }

        var schedule = await db.Set<ScheduledMessage>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw NotFoundException.For("scheduled message", id);
        var runs = new List<OccurrenceResponse>();
        if (schedule.NextTriggerAt is { } next)
        {
            var occurrences = ScheduleFields.Of(schedule).Occurrences();
            IEnumerable<DateTimeOffset> all = [next, .. occurrences.Upcoming(next, (count ?? 10) - 1)];
            runs.AddRange(all.Select(at => new OccurrenceResponse(at, Local.Format(occurrences.LocalTimeOf(at)), schedule.Timezone)));
        }

        return ApiResults.Ok(runs);
    }
}
