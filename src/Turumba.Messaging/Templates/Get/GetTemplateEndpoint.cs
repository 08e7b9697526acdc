using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Templates.Get;

internal static class GetTemplateEndpoint
{
    public static async Task<IResult> HandleAsync(Guid id, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var template = await db.Set<Template>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
            ?? throw NotFoundException.For("template", id);
        return ApiResults.Ok(TemplateResponse.From(template));
    }
}
