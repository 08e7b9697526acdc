using Microsoft.Extensions.Logging;
using Npgsql;
using Turumba.Platform.Hosting;
using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.Channels.Channels.Recovery;

/// <summary>
/// Role <c>maintenance</c>: a channel shows <c>rate_limited</c> while its provider's pause lasts.
/// Dispatch sets it back to <c>connected</c> on its next successful send, but a channel with
/// nothing more to send would stay <c>rate_limited</c>; every few seconds this puts channels whose
/// pause has expired back to <c>connected</c> (which also evicts them from every cache).
/// </summary>
internal sealed partial class RateLimitedChannelRecoveryService(
    NpgsqlDataSource dataSource, RedisRateLimiter limiter, IChannelCatalog channels, TimeProvider clock, ILogger<RateLimitedChannelRecoveryService> logger)
    : PeriodicService(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(5);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var channelId in await RateLimitedAsync(cancellationToken))
        {
            if (await limiter.PausedForAsync(ChannelRateLimits.PauseKey(channelId)) is null)
            {
                await channels.SetStatusAsync(channelId, ChannelStatus.Connected, null, cancellationToken);
                LogRecovered(Logger, channelId);
            }
        }
    }

    private async Task<List<Guid>> RateLimitedAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select id from channels.channels where status = 'rate_limited' and is_enabled");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId} is connected again: its provider's pause is over")]
    private static partial void LogRecovered(ILogger Logger, Guid channelId);
}
