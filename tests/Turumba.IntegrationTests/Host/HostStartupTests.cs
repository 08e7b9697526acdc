using System.Net;
using System.Text.Json;

namespace Turumba.IntegrationTests.Host;

[TestFixture]
public sealed class HostStartupTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Test]
    public async Task Host_with_all_roles_becomes_ready_on_real_infrastructure()
    {
        var port = HostProcess.FreePort();
        await using var host = HostProcess.Start(["--roles", "all", "--urls", $"http://127.0.0.1:{port}"]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        JsonElement ready = default;
        await Eventually.WaitAsync(async () =>
        {
            Assert.That(host.HasExited, Is.False, host.Output);
            try
            {
                using var response = await http.GetAsync("/health/ready");
                ready = await response.ReadJsonAsync();
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, StartTimeout, "the host to report ready");

        var checks = ready.GetProperty("checks");
        Assert.Multiple(() =>
        {
            Assert.That(ready.GetProperty("status").GetString(), Is.EqualTo("healthy"));
            Assert.That(checks.GetProperty("postgres").GetProperty("status").GetString(), Is.EqualTo("healthy"));
            Assert.That(checks.GetProperty("redis").GetProperty("status").GetString(), Is.EqualTo("healthy"));
            Assert.That(checks.GetProperty("masstransit-bus").GetProperty("status").GetString(), Is.EqualTo("healthy"));
        });
        using var live = await http.GetAsync("/health/live");
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Unknown_role_exits_with_code_2_and_names_it()
    {
        await using var host = HostProcess.Start(["--roles", "api,bogus"]);

        var exitCode = await host.WaitForExitAsync(StartTimeout);

        Assert.That(exitCode, Is.EqualTo(2), host.Output);
        Assert.That(host.Output, Does.Contain("Unknown role 'bogus'"));
    }

    [Test]
    public async Task Unknown_dispatch_channel_type_exits_with_code_2()
    {
        await using var host = HostProcess.Start(["--roles", "dispatch:pigeon"]);

        var exitCode = await host.WaitForExitAsync(StartTimeout);

        Assert.That(exitCode, Is.EqualTo(2), host.Output);
        Assert.That(host.Output, Does.Contain("pigeon"));
    }

    [Test]
    public async Task Production_without_a_key_encryption_key_exits_with_code_2_and_says_how_to_make_one()
    {
        await using var host = HostProcess.Start(["--roles", "all"], new Dictionary<string, string?>
        {
            ["DOTNET_ENVIRONMENT"] = "Production", ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });

        var exitCode = await host.WaitForExitAsync(StartTimeout);

        Assert.That(exitCode, Is.EqualTo(2), host.Output);
        Assert.That(host.Output, Does.Contain("Turumba:DataProtection:KeyEncryptionKey is required in Production").And.Contain("openssl rand -base64 32"));
    }

    [Test]
    public async Task Missing_connection_string_exits_with_code_2_and_names_the_setting()
    {
        await using var host = HostProcess.Start(["--roles", "all"], new Dictionary<string, string?> { ["ConnectionStrings__Redis"] = "" });

        var exitCode = await host.WaitForExitAsync(StartTimeout);

        Assert.That(exitCode, Is.EqualTo(2), host.Output);
        Assert.That(host.Output, Does.Contain("ConnectionStrings__Redis"));
    }

    [Test]
    public async Task Invalid_rate_limit_setting_exits_with_code_2_and_names_it()
    {
        await using var host = HostProcess.Start(["--roles", "dispatch"], new Dictionary<string, string?> { ["Turumba__RateLimits__Tenants__acme"] = "100" });

        var exitCode = await host.WaitForExitAsync(StartTimeout);

        Assert.That(exitCode, Is.EqualTo(2), host.Output);
        Assert.That(host.Output, Does.Contain("Turumba:RateLimits:Tenants"));
    }

    [Test]
    public async Task Quorum_queue_setting_that_is_not_a_boolean_exits_with_code_2_and_names_it()
    {
        await using var host = HostProcess.Start(["--roles", "api"], new Dictionary<string, string?> { ["Turumba__RabbitMq__QuorumQueues"] = "yes" });

        var exitCode = await host.WaitForExitAsync(StartTimeout);

        Assert.That(exitCode, Is.EqualTo(2), host.Output);
        Assert.That(host.Output, Does.Contain("Turumba:RabbitMq:QuorumQueues"));
    }

    [Test]
    public async Task Roles_can_come_from_the_environment()
    {
        await using var host = HostProcess.Start([], new Dictionary<string, string?> { ["Turumba__Roles"] = "nonsense" });

        var exitCode = await host.WaitForExitAsync(StartTimeout);

        Assert.That(exitCode, Is.EqualTo(2), host.Output);
        Assert.That(host.Output, Does.Contain("Unknown role 'nonsense'"));
    }
}
