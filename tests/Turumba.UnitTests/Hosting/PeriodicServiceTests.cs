using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Turumba.Platform.Hosting;

namespace Turumba.UnitTests.Hosting;

[TestFixture]
public sealed class PeriodicServiceTests
{
    private static IEnumerable<Exception> WrappedDatabaseFailures() =>
    [
        new DbUpdateException("saving failed", new NpgsqlException("connection reset")),
        new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", new NpgsqlException("too many connections")),
    ];

    [TestCaseSource(nameof(WrappedDatabaseFailures))]
    public async Task A_database_failure_wrapped_by_EF_is_retried_at_the_next_tick(Exception failure)
    {
        using var service = new FailingOnce(failure);
        await service.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (service.Runs < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await service.StopAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(service.Runs, Is.GreaterThanOrEqualTo(3));
            Assert.That(service.ExecuteTask!.IsFaulted, Is.False);
        });
    }

    private sealed class FailingOnce(Exception failure) : PeriodicService(TimeProvider.System, NullLogger.Instance)
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        protected override TimeSpan Interval => TimeSpan.FromMilliseconds(10);

        protected override Task RunOnceAsync(CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _runs) == 1 ? Task.FromException(failure) : Task.CompletedTask;
    }
}
