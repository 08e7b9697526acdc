using Microsoft.Extensions.DependencyInjection;

namespace Turumba.Adapters.Telegram;

internal sealed class TelegramServices : IProviderServices
{
    public void AddServices(IServiceCollection services)
    {
        services.AddOptions<TelegramOptions>().BindConfiguration(TelegramOptions.Section);
        services.AddPooledProviderClient(TelegramAdapter.HttpClientName);
    }
}
