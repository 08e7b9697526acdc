using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Channels.Channels.Templates;

/// <summary><c>GET /v1/channels/{id}/templates</c> (as last synced) and <c>POST /v1/channels/{id}/templates/sync</c> (fetch them now).</summary>
internal static class ChannelTemplatesEndpoints
{
    public static async Task<IResult> ListAsync(Guid id, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var channel = await db.Set<Channel>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw NotFoundException.For("channel", id);
        var templates = await db.Set<ChannelTemplate>().AsNoTracking().Where(t => t.ChannelId == channel.Id)
            .OrderBy(t => t.Name).ThenBy(t => t.Language).ToListAsync(cancellationToken);
        return ApiResults.Ok(templates.Select(ChannelTemplateSync.Response).ToList());
    }

    public static async Task<IResult> SyncAsync(Guid id, TurumbaDbContext db, ChannelTemplateSync sync, CancellationToken cancellationToken)
    {
        var channel = await db.Set<Channel>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw NotFoundException.For("channel", id);
        IReadOnlyList<ChannelTemplate>? synced;
        try
        {
            synced = await sync.SyncAsync(db, channel, cancellationToken);
        }
        catch (ChannelAdapterException ex)
        {
            throw ChannelTemplateSync.ProviderFailed(ex);
        }

        return synced is null
            ? throw new ConflictException($"A {channel.ChannelType} channel has no provider templates to sync (a whatsapp channel needs credentials.waba_id).",
                new { field = "channel_id" })
            : ApiResults.Ok(synced.OrderBy(t => t.Name).ThenBy(t => t.Language).Select(ChannelTemplateSync.Response).ToList());
    }
}
