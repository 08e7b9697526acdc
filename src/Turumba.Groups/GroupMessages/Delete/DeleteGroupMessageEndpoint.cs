using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Groups.GroupMessages.Delete;

internal static class DeleteGroupMessageEndpoint
{
    /// <summary>Deletes a draft or a finished send; a running one must be cancelled first. Its messages stay.</summary>
    public static async Task<IResult> HandleAsync(Guid id, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var group = await db.Set<GroupMessage>().FirstOrDefaultAsync(g => g.Id == id, cancellationToken)
            ?? throw NotFoundException.For("group message", id);
        if (group.Status is GroupMessageStatus.Queued or GroupMessageStatus.Processing)
        {
            throw new ConflictException("The group message is being sent; cancel it before deleting it.");
        }

        db.Remove(group);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Deleted();
    }
}
