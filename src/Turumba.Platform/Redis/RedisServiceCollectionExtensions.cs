using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Turumba.Platform.Persistence;
using Turumba.Platform.Redis.Counters;
using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.Platform.Redis;

public static class RedisServiceCollectionExtensions
{
    /// <summary>One multiplexer per process, as StackExchange.Redis intends; reconnects on its own.</summary>
    public static IServiceCollection AddTurumbaRedis(this IServiceCollection services, IConfiguration configuration)
    {
        var options = ConfigurationOptions.Parse(ConnectionStrings.Require(configuration, ConnectionStrings.Redis));
        options.AbortOnConnectFail = false;
        options.ClientName ??= "turumba";
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        services.AddSingleton<RedisRateLimiter>();
        services.AddSingleton<RedisCounters>();
        return services;
    }
}
