using Npgsql;

namespace Turumba.IntegrationTests.Resilience;

[TestFixture]
public sealed class HostFailureTests
{
    [Test]
    public async Task A_background_service_that_cannot_continue_stops_the_host_with_exit_code_1()
    {
        await using var services = await IsolatedServices.CreateAsync("hostfailure");
        // A schema the code does not match is no outage: waiting cannot fix it, a supervisor must hear of it.
        await using (var connection = new NpgsqlConnection(services.Postgres))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand("drop table platform.idempotency_keys", connection);
            await drop.ExecuteNonQueryAsync();
        }

        await using var host = HostProcess.Start(["--roles", "maintenance"], new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = services.Postgres,
            ["ConnectionStrings__RabbitMq"] = services.RabbitMq,
        });
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), host.Output);
            Assert.That(host.Output, Does.Contain("IdempotencyCleanupService cannot continue; stopping the host"));
            Assert.That(host.Output, Does.Contain("stopped because IdempotencyCleanupService failed; exiting with code 1"));
            Assert.That(host.Output, Does.Not.Contain("Turumba.Host failed"), "the failure is reported, not an error of the stop itself");
        });
    }

    [Test]
    public async Task A_host_asked_to_stop_exits_0_within_seconds()
    {
        await using var host = await HostProcess.StartReadyAsync("all");
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        host.Terminate();
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(0), host.Output);
            Assert.That(stopping.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "a stop is bounded by the host's shutdown timeout");
            Assert.That(host.Output, Does.Not.Contain("Turumba.Host failed"));
        });
    }
}
