using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Turumba.Dispatch.Sending;

/// <summary>
/// A short-lived Redis lock per dispatch command, taken before the database compare-and-set: a
/// duplicated command that arrives while its twin is being worked on waits its turn instead of
/// racing it to the database. The compare-and-set stays the guarantee; the lock only keeps
/// duplicates from doing work. One key per command (SET NX PX with a random token); one loop per
/// process extends every lock it holds, and a holder that dies lets its locks expire. Release is
/// fire-and-forget: a lost release only makes a twin wait for the expiry. See
/// docs/architecture.md (decision 23) for why this is not RedLock.net.
/// </summary>
internal sealed class DispatchLocks : IAsyncDisposable
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);

    // KEYS[1]: lock. ARGV[1]: token, ARGV[2]: expiry ms (0 = release). Only the holder's token counts.
    private const string ExtendOrReleaseScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        if ARGV[2] == '0' then return redis.call('DEL', KEYS[1]) end
        return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly ConcurrentDictionary<string, string> _held = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _keepAlive;

    public DispatchLocks(IConnectionMultiplexer redis)
    {
        _redis = redis;
        _keepAlive = KeepAliveAsync();
    }

    /// <summary>The lock, or null when another consumer holds it.</summary>
    public async Task<Held?> TryAcquireAsync(string command)
    {
        var key = "turumba:dispatch:lock:" + command;
        var token = Guid.NewGuid().ToString("N");
        if (!await _redis.GetDatabase().StringSetAsync(key, token, Expiry, When.NotExists))
        {
            return null;
        }

        _held[key] = token;
        return new Held(this, key, token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _keepAlive;
        _stop.Dispose();
    }

    private void Release(string key, string token)
    {
        _held.TryRemove(new KeyValuePair<string, string>(key, token));
        _redis.GetDatabase().ScriptEvaluate(ExtendOrReleaseScript, [key], [token, 0], CommandFlags.FireAndForget);
    }

    private async Task KeepAliveAsync()
    {
        using var timer = new PeriodicTimer(Expiry / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var database = _redis.GetDatabase();
                var extensions = _held.Select(h => database.ScriptEvaluateAsync(ExtendOrReleaseScript, [h.Key], [h.Value, (long)Expiry.TotalMilliseconds]));
                try
                {
                    await Task.WhenAll(extensions);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // Redis is away; locks may lapse, and the compare-and-set still guards the messages.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A held lock; disposing it releases it.</summary>
    internal sealed class Held(DispatchLocks owner, string key, string token) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            owner.Release(key, token);
            return ValueTask.CompletedTask;
        }
    }
}
