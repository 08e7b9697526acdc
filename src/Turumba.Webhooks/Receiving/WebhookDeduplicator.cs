using StackExchange.Redis;

namespace Turumba.Webhooks.Receiving;

/// <summary>
/// Remembers provider event ids for a day, so a provider's retry of an event already taken is
/// answered 200 and not processed again. Without Redis every event counts as new: a repeat is
/// harmless downstream, a refused callback is lost with providers that do not retry.
/// </summary>
internal sealed class WebhookDeduplicator(IConnectionMultiplexer redis)
{
    private static readonly TimeSpan Memory = TimeSpan.FromHours(24);

    public async Task<bool> FirstTimeAsync(Guid channelId, string eventId)
    {
        try
        {
            return await redis.GetDatabase().StringSetAsync(Key(channelId, eventId), 1, Memory, When.NotExists);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return true;
        }
    }

    /// <summary>Undoes <see cref="FirstTimeAsync"/> when the event could not be handed on, so the provider's retry is taken.</summary>
    public async Task ForgetAsync(Guid channelId, string eventId)
    {
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(Key(channelId, eventId));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis is gone: the mark went with it.
        }
    }

    private static string Key(Guid channelId, string eventId) => $"turumba:webhook:{channelId}:{eventId}";
}
