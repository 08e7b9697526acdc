using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Turumba.Host;
using Turumba.Platform;
using Turumba.Platform.Hosting;
using Turumba.Platform.Modules;
using Turumba.Platform.Persistence;

namespace Turumba.IntegrationTests.Outbox.Support;

/// <summary>
/// An instance of the platform as the host composes it (every module, the platform's one
/// <c>AddMassTransit</c> with the outbox) plus the test module, with the given roles, on a
/// <see cref="MessagingEnvironment"/>. Set TURUMBA_TEST_LOGS=1 to see its log.
/// </summary>
public sealed class MessagingHost : IAsyncDisposable
{
    private readonly IHost _host;

    private MessagingHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<MessagingHost> StartAsync(
        MessagingEnvironment environment, string roles, ReceivedMessages received, string? rabbitMq = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Testing",
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = environment.Postgres,
            ["ConnectionStrings:RabbitMq"] = rabbitMq ?? environment.RabbitMq,
            ["ConnectionStrings:Redis"] = TestServices.Redis,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("TURUMBA_TEST_LOGS") == "1")
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
        }

        // The full module list keeps the composed model identical to the real host's.
        var modules = new ModuleCatalog([.. TurumbaModules.Catalog.Modules, new MessagingTestModule(received)]);
        builder.Services.AddTurumba(builder.Configuration, HostRoles.Parse(roles), modules, typeof(Program).Assembly);
        var host = builder.Build();
        await host.StartAsync();
        return new MessagingHost(host);
    }

    /// <summary>Runs <paramref name="work"/> in a scope, as an API request would, and saves its changes.</summary>
    public async Task InUnitOfWorkAsync(Func<TurumbaDbContext, IPublishEndpoint, Task> work)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TurumbaDbContext>();
        await work(db, scope.ServiceProvider.GetRequiredService<IPublishEndpoint>());
        await db.SaveChangesAsync();
    }

    public Task WaitForBusAsync() =>
        _host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
    }
}
