using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Channels.Credentials;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Channels.Channels.Get;

internal static class GetChannelEndpoint
{
    public static async Task<IResult> HandleAsync(Guid id, TurumbaDbContext db, CredentialProtector protector, CancellationToken cancellationToken)
    {
        var channel = await db.Set<Channel>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw NotFoundException.For("channel", id);
        return ApiResults.Ok(ChannelResponse.From(channel, protector));
    }
}
