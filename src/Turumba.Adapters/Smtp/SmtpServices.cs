using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Turumba.Adapters.Smtp;

internal sealed class SmtpServices : IProviderServices
{
    public void AddServices(IServiceCollection services)
    {
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section)
            .Configure<IConfiguration>((o, config) => o.WebhookBaseUrl ??= config["Turumba:Webhooks:BaseUrl"]);
        services.AddSingleton<SmtpConnectionPools>();
    }
}
