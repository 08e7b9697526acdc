using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Adapters.Telegram;
using Turumba.Adapters.Twilio;
using Turumba.Channels;
using Turumba.Platform.Hosting;
using Turumba.Platform.Modules;

namespace Turumba.Adapters;

/// <summary>The provider adapters, discovered by their <see cref="ChannelAdapterAttribute"/>.</summary>
public sealed class AdaptersModule : ITurumbaModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, HostRoles roles)
    {
        services.AddOptions<TelegramOptions>().BindConfiguration(TelegramOptions.Section);
        // Pooled connections with a bounded lifetime, so DNS changes reach long-running dispatchers.
        services.AddHttpClient(TelegramAdapter.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 256,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The default HTTP logging writes request URLs, and Telegram's carry the bot token.
            .RemoveAllLoggers();
        services.AddOptions<TwilioOptions>().BindConfiguration(TwilioOptions.Section)
            .Configure<IConfiguration>((o, config) => o.WebhookBaseUrl ??= config["Turumba:Webhooks:BaseUrl"]);
        services.AddHttpClient(TwilioAdapter.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 256,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.AddChannelAdapters(typeof(AdaptersModule).Assembly);
    }
}
