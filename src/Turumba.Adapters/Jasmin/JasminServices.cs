using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Turumba.Adapters.Jasmin;

internal sealed class JasminServices : IProviderServices
{
    public void AddServices(IServiceCollection services)
    {
        services.AddOptions<JasminOptions>().BindConfiguration(JasminOptions.Section)
            .Configure<IConfiguration>((o, config) => o.WebhookBaseUrl ??= config["Turumba:Webhooks:BaseUrl"]);
        services.AddPooledProviderClient(JasminAdapter.HttpClientName);
    }
}
