using Microsoft.Extensions.DependencyInjection;

namespace Turumba.Adapters;

internal static class ProviderHttpClients
{
    /// <summary>
    /// A named client on pooled connections with a bounded lifetime, so DNS changes reach
    /// long-running dispatchers. The default HTTP logging is removed: it writes request URLs, and
    /// some providers put credentials in them (Telegram's bot token).
    /// </summary>
    public static IHttpClientBuilder AddPooledProviderClient(this IServiceCollection services, string name) =>
        services.AddHttpClient(name)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 256,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
}
