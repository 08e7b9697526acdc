using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Scheduling.ScheduledMessages.Get;

internal static class GetScheduledMessageEndpoint
{
    public static async Task<IResult> HandleAsync(Guid id, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var schedule = await db.Set<ScheduledMessage>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw NotFoundException.For("scheduled message", id);
        return ApiResults.Ok(ScheduledMessageResponse.From(schedule));
    }
}
