using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Turumba.Platform.Tenancy;

/// <summary>Creates the configured development account and key at start, once.</summary>
internal sealed partial class BootstrapAccountSeeder(
    IServiceScopeFactory scopes,
    IOptions<BootstrapOptions> options,
    ILogger<BootstrapAccountSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var bootstrap = options.Value;
        if (string.IsNullOrWhiteSpace(bootstrap.ApiKey))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var administration = scope.ServiceProvider.GetRequiredService<AccountAdministration>();
        var name = string.IsNullOrWhiteSpace(bootstrap.AccountName) ? "Development" : bootstrap.AccountName;
        if (await administration.EnsureAccountWithKeyAsync(name, bootstrap.ApiKey, cancellationToken))
        {
            LogCreated(logger, name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created bootstrap account {Name} with the configured API key")]
    private static partial void LogCreated(ILogger logger, string name);
}
