using Microsoft.Extensions.DependencyInjection;

namespace Turumba.Adapters.Meta;

internal sealed class MetaServices : IProviderServices
{
    public void AddServices(IServiceCollection services)
    {
        services.AddOptions<MetaOptions>().BindConfiguration(MetaOptions.Section);
        services.AddSingleton<MetaGraphClient>();
        services.AddPooledProviderClient(MetaGraphClient.HttpClientName);
    }
}
