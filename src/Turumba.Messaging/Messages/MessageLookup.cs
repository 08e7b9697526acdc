using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages;

internal static class MessageLookup
{
    /// <summary>
    /// The messages with <paramref name="id"/>, narrowed to the created_at window its UUIDv7
    /// implies, so PostgreSQL reads one or two monthly partitions instead of all of them.
    /// </summary>
    public static IQueryable<Message> ById(this IQueryable<Message> messages, Guid id)
    {
        var query = messages.Where(m => m.Id == id);
        if (MessageIds.CreatedWindow(id) is var (from, to))
        {
            query = query.Where(m => m.CreatedAt >= from && m.CreatedAt <= to);
        }

        return query;
    }

    public static async Task<Message> RequireAsync(TurumbaDbContext db, Guid id, bool tracking, CancellationToken cancellationToken)
    {
        var set = tracking ? db.Set<Message>() : db.Set<Message>().AsNoTracking();
        return await set.ById(id).FirstOrDefaultAsync(cancellationToken) ?? throw NotFoundException.For("message", id);
    }
}
