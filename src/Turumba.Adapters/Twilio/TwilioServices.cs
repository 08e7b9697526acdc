using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Turumba.Adapters.Twilio;

internal sealed class TwilioServices : IProviderServices
{
    public void AddServices(IServiceCollection services)
    {
        services.AddOptions<TwilioOptions>().BindConfiguration(TwilioOptions.Section)
            .Configure<IConfiguration>((o, config) => o.WebhookBaseUrl ??= config["Turumba:Webhooks:BaseUrl"]);
        services.AddPooledProviderClient(TwilioAdapter.HttpClientName);
    }
}
