using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Turumba.Channels.Credentials;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Channels.Channels.Templates;

/// <summary>
/// Replaces a channel's stored templates with the provider's list, in one transaction: the stored
/// set is always one whole sync. On create (failures only logged), and on demand.
/// </summary>
internal sealed partial class ChannelTemplateSync(
    ChannelAdapterRegistry adapters, CredentialProtector protector, TimeProvider clock, ILogger<ChannelTemplateSync> logger)
{
    /// <summary>The templates stored; null when the channel's provider keeps no templates (or, for WhatsApp, no <c>waba_id</c> is set).</summary>
    public async Task<IReadOnlyList<ChannelTemplate>?> SyncAsync(TurumbaDbContext db, Channel channel, CancellationToken cancellationToken)
    {
        var adapter = adapters.TryResolve(channel.ChannelType, channel.Provider);
        if (adapter is null)
        {
            return null;
        }

        var listed = await adapter.ListTemplatesAsync(new ChannelCredentials(protector.Unprotect(channel.EncryptedCredentials)), cancellationToken);
        if (listed is null)
        {
            return null;
        }

        var now = clock.GetUtcNowForDatabase();
        var rows = listed
            .GroupBy(t => (t.Name, t.Language))
            .Select(g => g.First())
            .Select(t => new ChannelTemplate
            {
                ChannelId = channel.Id, Name = t.Name, Language = t.Language, Category = t.Category, Status = t.Status.ToUpperInvariant(),
                Components = t.ComponentsJson, SyncedAt = now,
            })
            .ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Set<ChannelTemplate>().Where(t => t.ChannelId == channel.Id).ExecuteDeleteAsync(cancellationToken);
        db.AddRange(rows);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    /// <summary>On create: a provider that cannot list its templates now leaves the channel as it is; a later sync fetches them.</summary>
    public async Task TrySyncAsync(TurumbaDbContext db, Channel channel, CancellationToken cancellationToken)
    {
        try
        {
            await SyncAsync(db, channel, cancellationToken);
        }
        catch (ChannelAdapterException ex)
        {
            LogSyncFailed(logger, channel.Id, ex.GetType().Name, ex.Message);
        }
    }

    public static ChannelTemplateResponse Response(ChannelTemplate t)
    {
        using var components = JsonDocument.Parse(t.Components);
        return new ChannelTemplateResponse(t.Name, t.Language, t.Category, t.Status, components.RootElement.Clone(), t.SyncedAt);
    }

    public static ApiException ProviderFailed(ChannelAdapterException ex) =>
        new(StatusCodes.Status502BadGateway, "provider_error", $"The provider's templates could not be fetched: {ex.Message}");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Template sync of channel {ChannelId} failed ({Error}): {Reason}")]
    private static partial void LogSyncFailed(ILogger logger, Guid channelId, string error, string reason);
}
