using RedLockNet;
using RedLockNet.SERedis;
using RedLockNet.SERedis.Configuration;
using StackExchange.Redis;

namespace Turumba.Dispatch.Sending;

/// <summary>
/// A short-lived Redis lock per dispatch command (RedLock), taken before the database
/// compare-and-set: a duplicated command that arrives while its twin is being worked on is dropped
/// at once instead of racing it to the database. The compare-and-set stays the guarantee; the lock
/// only keeps duplicates from doing work. RedLock extends the lock while it is held.
/// </summary>
internal sealed class DispatchLocks : IAsyncDisposable
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);
    private readonly RedLockFactory _factory;

    public DispatchLocks(IConnectionMultiplexer redis) =>
        _factory = RedLockFactory.Create([new RedLockMultiplexer(redis)]);

    /// <summary>The lock, or null when another consumer holds it.</summary>
    public async Task<IRedLock?> TryAcquireAsync(string command)
    {
        var handle = await _factory.CreateLockAsync("turumba:dispatch:" + command, Expiry);
        if (handle.IsAcquired)
        {
            return handle;
        }

        await handle.DisposeAsync();
        return null;
    }

    public ValueTask DisposeAsync()
    {
        _factory.Dispose();
        return ValueTask.CompletedTask;
    }
}
