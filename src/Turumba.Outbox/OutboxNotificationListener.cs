using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Turumba.Outbox;

/// <summary>
/// Holds one connection that <c>LISTEN</c>s on <see cref="OutboxModel.NotificationChannel"/>. The
/// insert trigger on <c>outbox_state</c> notifies when the writing transaction commits, from any
/// instance, so delivery starts within a round trip instead of on the next poll.
/// </summary>
internal sealed class OutboxNotificationListener<TDbContext>(
    IServiceProvider provider, OutboxWakeSignal<TDbContext> wake, ILogger<OutboxNotificationListener<TDbContext>> logger)
    : BackgroundService
    where TDbContext : DbContext
{
    private readonly OutboxRetry _outage = new(logger, "Outbox notifications (deliveries fall back to polling meanwhile)");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The context's own connection: the listen is on the database the outbox is in.
                await using var scope = provider.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
                await db.Database.OpenConnectionAsync(stoppingToken);
                var connection = (NpgsqlConnection)db.Database.GetDbConnection();
                connection.Notification += (_, _) => wake.Set();
                await using (var listen = new NpgsqlCommand($"listen {OutboxModel.NotificationChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Whatever was committed while nobody listened is picked up now.
                wake.Set();
                wait = TimeSpan.Zero;
                _outage.Succeeded();
                while (!stoppingToken.IsCancellationRequested)
                {
                    // A quiet connection is probed now and then: a dead one would otherwise wait forever.
                    if (!await connection.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken))
                    {
                        await using var probe = new NpgsqlCommand("select 1", connection);
                        await probe.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                wait = OutboxRetry.NextWait(wait);
                _outage.Failed(ex, wait);
                await OutboxWakeSignal<TDbContext>.PauseAsync(wait, stoppingToken);
            }
        }
    }
}
