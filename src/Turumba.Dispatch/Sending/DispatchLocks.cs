using StackExchange.Redis;

namespace Turumba.Dispatch.Sending;

/// <summary>
/// A short-lived Redis lock per dispatch command, taken before the database compare-and-set: a
/// duplicated command that arrives while its twin is being worked on waits its turn instead of
/// racing it to the database. The compare-and-set stays the guarantee; the lock only keeps
/// duplicates from doing work. One key per command (SET NX PX with a random token), extended while
/// held and released only by its holder; a holder that dies lets it expire. See
/// docs/architecture.md for why this is not RedLock.net.
/// </summary>
internal sealed class DispatchLocks(IConnectionMultiplexer redis)
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);

    // KEYS[1]: lock. ARGV[1]: token, ARGV[2]: expiry ms (0 = release). The holder's token must match.
    private const string ExtendOrReleaseScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        if ARGV[2] == '0' then return redis.call('DEL', KEYS[1]) end
        return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        """;

    /// <summary>The lock, or null when another consumer holds it.</summary>
    public async Task<Held?> TryAcquireAsync(string command)
    {
        var key = (RedisKey)("turumba:dispatch:lock:" + command);
        var token = Guid.NewGuid().ToString("N");
        var database = redis.GetDatabase();
        return await database.StringSetAsync(key, token, Expiry, When.NotExists) ? new Held(database, key, token) : null;
    }

    /// <summary>A held lock: extended every third of its expiry until disposed, then released.</summary>
    internal sealed class Held : IAsyncDisposable
    {
        private readonly IDatabase _database;
        private readonly RedisKey _key;
        private readonly RedisValue _token;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _keepAlive;

        internal Held(IDatabase database, RedisKey key, RedisValue token)
        {
            (_database, _key, _token) = (database, key, token);
            _keepAlive = KeepAliveAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _keepAlive;
            _stop.Dispose();
            try
            {
                await _database.ScriptEvaluateAsync(ExtendOrReleaseScript, [_key], [_token, 0]);
            }
            catch (RedisException)
            {
                // Not released: it expires on its own.
            }
        }

        private async Task KeepAliveAsync()
        {
            using var timer = new PeriodicTimer(Expiry / 3);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    await _database.ScriptEvaluateAsync(ExtendOrReleaseScript, [_key], [_token, (long)Expiry.TotalMilliseconds]);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (RedisException)
            {
                // Redis is away; the lock may lapse, and the compare-and-set still guards the messages.
            }
        }
    }
}
