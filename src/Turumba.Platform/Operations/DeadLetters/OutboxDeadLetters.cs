using Microsoft.EntityFrameworkCore;
using Turumba.Outbox;
using Turumba.Platform.Persistence;

namespace Turumba.Platform.Operations.DeadLetters;

/// <summary>The bus outbox's dead letters (<see cref="OutboxDeadLetter"/>), shown as the error queue "outbox".</summary>
internal static class OutboxDeadLetters
{
    public const string Queue = "outbox";

    public static async Task<DeadLetterQueue> ListAsync(TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var letters = db.Set<OutboxDeadLetter>().AsNoTracking();
        var count = await letters.LongCountAsync(cancellationToken);
        var newest = await letters.OrderByDescending(d => d.Id).Take(5).ToListAsync(cancellationToken);
        return new DeadLetterQueue(Queue, "(bus outbox)", count, newest.ConvertAll(d =>
        {
            // The relay records the reason as "<exception type>: <message>".
            var reason = d.Reason.Split(':', 2);
            return new DeadLetter(d.MessageId.ToString(), d.MessageType, reason[0], reason.ElementAtOrDefault(1)?.Trim(), d.DeadAt,
                $"{d.Attempts} failed sends to {d.DestinationAddress ?? "no destination"}", false);
        }));
    }
}
