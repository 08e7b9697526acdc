using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Templates.Delete;

internal static class DeleteTemplateEndpoint
{
    public static async Task<IResult> HandleAsync(Guid id, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var deleted = await db.Set<Template>().Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? throw NotFoundException.For("template", id) : ApiResults.Deleted();
    }
}
