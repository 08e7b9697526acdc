using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Groups.GroupMessages.Get;

internal static class GetGroupMessageEndpoint
{
    /// <summary>The group message with its counters as the progress service last refreshed them.</summary>
    public static async Task<IResult> HandleAsync(Guid id, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var group = await db.Set<GroupMessage>().AsNoTracking().FirstOrDefaultAsync(g => g.Id == id, cancellationToken)
            ?? throw NotFoundException.For("group message", id);
        return ApiResults.Ok(GroupMessageResponse.From(group));
    }
}
