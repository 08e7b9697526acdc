using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Turumba.Adapters.Smtp;

internal sealed class SmtpServices : IProviderServices
{
    public void AddServices(IServiceCollection services)
    {
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section)
            .Configure<IConfiguration>((o, config) => o.WebhookBaseUrl ??= config["Turumba:Webhooks:BaseUrl"])
            .Validate<IHostEnvironment>(
                (o, environment) => environment.IsDevelopment() || environment.IsEnvironment("Testing") || !o.SnsHosts.Any(SnsHosts.IsLoopbackEntry),
                $"{SmtpOptions.Section}:SnsHosts may name a loopback host only in the Development and Testing environments.")
            .ValidateOnStart();
        services.AddSingleton<SmtpConnectionPools>();
        services.AddSingleton<SnsHosts>();
        // No redirects: a redirect would leave the hosts the URL was checked against.
        services.AddPooledProviderClient(SnsHosts.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(10));
    }
}
