using System.Collections.Concurrent;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;

namespace Turumba.Adapters.Smtp;

/// <summary>
/// Connected, authenticated <see cref="SmtpClient"/>s per channel (and credentials), reused across
/// messages: a send takes an idle client or opens one while fewer than <see cref="SmtpOptions.PoolSize"/>
/// exist, and waits otherwise. A client that failed at the transport level is thrown away (the next
/// send opens a fresh one); one that got a refusal reply stays (the session is still good). Clients idle
/// longer than <see cref="SmtpOptions.IdleTimeout"/> are closed by a sweep, and one found idle that long
/// is not reused. An SmtpClient runs one command sequence at a time, so a client is lent to one send at a time.
/// </summary>
internal sealed class SmtpConnectionPools : IDisposable
{
    private readonly ConcurrentDictionary<string, Pool> _pools = new(StringComparer.Ordinal);
    private readonly IOptions<SmtpOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ITimer _sweep;

    public SmtpConnectionPools(IOptions<SmtpOptions> options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        var every = options.Value.IdleTimeout / 2 < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : options.Value.IdleTimeout / 2;
        _sweep = clock.CreateTimer(_ => Sweep(), null, every, every);
    }

    /// <summary>Connections opened so far (all pools), for tests and metrics.</summary>
    public long Opened => Interlocked.Read(ref _opened);

    private long _opened;

    /// <summary>Runs <paramref name="work"/> on a pooled client of the channel; transport failures discard the client.</summary>
    public async Task<T> UseAsync<T>(Guid channelId, SmtpEndpoint endpoint, Func<SmtpClient, Task<T>> work, CancellationToken cancellationToken)
    {
        var pool = _pools.GetOrAdd($"{channelId:N}/{endpoint.Fingerprint()}", _ => new Pool(Math.Max(1, _options.Value.PoolSize)));
        await pool.Slots.WaitAsync(cancellationToken);
        try
        {
            var client = TakeIdle(pool) ?? await OpenAsync(endpoint, cancellationToken);
            T result;
            try
            {
                result = await work(client);
            }
            catch (SmtpCommandException) when (client.IsConnected)
            {
                // A refusal reply: MailKit has reset the transaction; the session serves the next message.
                Return(pool, client);
                throw;
            }
            catch
            {
                Discard(client);
                throw;
            }

            Return(pool, client);
            return result;
        }
        finally
        {
            pool.Slots.Release();
        }
    }

    public void Dispose()
    {
        _sweep.Dispose();
        foreach (var pool in _pools.Values)
        {
            while (pool.Idle.TryPop(out var idle))
            {
                Discard(idle.Client);
            }
        }
    }

    private async Task<SmtpClient> OpenAsync(SmtpEndpoint endpoint, CancellationToken cancellationToken)
    {
        var client = await SmtpConnector.ConnectAsync(endpoint, _options.Value.Timeout, cancellationToken);
        Interlocked.Increment(ref _opened);
        return client;
    }

    private SmtpClient? TakeIdle(Pool pool)
    {
        var now = _clock.GetUtcNow();
        while (pool.Idle.TryPop(out var idle))
        {
            if (idle.Client.IsConnected && now - idle.Since < _options.Value.IdleTimeout)
            {
                return idle.Client;
            }

            Discard(idle.Client);
        }

        return null;
    }

    private void Return(Pool pool, SmtpClient client)
    {
        if (client.IsConnected)
        {
            pool.Idle.Push(new IdleClient(client, _clock.GetUtcNow()));
        }
        else
        {
            client.Dispose();
        }
    }

    private void Sweep()
    {
        var cutoff = _clock.GetUtcNow() - _options.Value.IdleTimeout;
        foreach (var pool in _pools.Values)
        {
            // Taken out and the fresh ones put back: a send meanwhile takes one or opens its own.
            var keep = new List<IdleClient>();
            while (pool.Idle.TryPop(out var idle))
            {
                if (idle.Since > cutoff && idle.Client.IsConnected)
                {
                    keep.Add(idle);
                }
                else
                {
                    Discard(idle.Client);
                }
            }

            foreach (var idle in Enumerable.Reverse(keep))
            {
                pool.Idle.Push(idle);
            }
        }
    }

    private static void Discard(SmtpClient client)
    {
        // QUIT politely when the session is still up, without waiting on a relay that hangs.
        if (client.IsConnected)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await client.DisconnectAsync(true, timeout.Token);
                }
                catch (Exception ex) when (ex is IOException or MailKit.ProtocolException or OperationCanceledException or MailKit.CommandException or System.Net.Sockets.SocketException)
                {
                    // Closing anyway.
                }
                finally
                {
                    client.Dispose();
                }
            });
        }
        else
        {
            client.Dispose();
        }
    }

    private sealed record IdleClient(SmtpClient Client, DateTimeOffset Since);

    // Pools are never removed (an empty one is a semaphore and a stack): removing one while a send
    // holds it would strand that send's connection outside every pool.
    private sealed class Pool(int size)
    {
        public SemaphoreSlim Slots { get; } = new(size, size);

        public ConcurrentStack<IdleClient> Idle { get; } = new();
    }
}
