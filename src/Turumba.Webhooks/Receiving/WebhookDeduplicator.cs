using StackExchange.Redis;

namespace Turumba.Webhooks.Receiving;

/// <summary>
/// Remembers provider event ids for a day, so a provider's retry of an event already taken is
/// answered 200 and not processed again.
/// </summary>
internal sealed class WebhookDeduplicator(IConnectionMultiplexer redis)
{
    private static readonly TimeSpan Memory = TimeSpan.FromHours(24);

    public Task<bool> FirstTimeAsync(Guid channelId, string eventId) =>
        redis.GetDatabase().StringSetAsync(Key(channelId, eventId), 1, Memory, When.NotExists);

    /// <summary>Undoes <see cref="FirstTimeAsync"/> when the event could not be handed on, so the provider's retry is taken.</summary>
    public Task ForgetAsync(Guid channelId, string eventId) => redis.GetDatabase().KeyDeleteAsync(Key(channelId, eventId));

    private static string Key(Guid channelId, string eventId) => $"turumba:webhook:{channelId}:{eventId}";
}
