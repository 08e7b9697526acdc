using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Channels;
using Turumba.Platform.Hosting;
using Turumba.Platform.Modules;

namespace Turumba.Adapters;

/// <summary>
/// The provider adapters, one folder per provider: each adapter is found by its
/// <see cref="ChannelAdapterAttribute"/>, and what it needs registered by its <see cref="IProviderServices"/>.
/// </summary>
public sealed class AdaptersModule : ITurumbaModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, HostRoles roles)
    {
        var providers = typeof(AdaptersModule).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IProviderServices).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var provider in providers)
        {
            ((IProviderServices)Activator.CreateInstance(provider)!).AddServices(services);
        }

        services.AddChannelAdapters(typeof(AdaptersModule).Assembly);
    }
}
