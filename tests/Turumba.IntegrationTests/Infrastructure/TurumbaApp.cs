using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Turumba.Platform.Tenancy;

namespace Turumba.IntegrationTests;

/// <summary>The real host in-process (real PostgreSQL, RabbitMQ, Redis) with the given roles and settings.</summary>
public sealed class TurumbaApp(string roles = "all", IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    : WebApplicationFactory<Program>
{
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        builder.UseSetting("Turumba:Roles", roles);
        builder.UseSetting("ConnectionStrings:Postgres", TestServices.Postgres);
        builder.UseSetting("ConnectionStrings:RabbitMq", TestServices.RabbitMq);
        builder.UseSetting("ConnectionStrings:Redis", TestServices.Redis);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }

    public async Task<CreatedAccount> CreateAccountAsync(string name = "test account", bool operatorScope = false)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountAdministration>().CreateAccountAsync(name, operatorScope);
    }

    /// <summary>A client authenticated as a new account of its own.</summary>
    public async Task<HttpClient> CreateAccountClientAsync(string name = "test account")
    {
        var account = await CreateAccountAsync(name);
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", account.ApiKey);
        return client;
    }
}
