using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Dispatch.Sending;
using Turumba.Platform;
using Turumba.Platform.Hosting;
using Turumba.Platform.Modules;

namespace Turumba.Dispatch;

/// <summary>Dispatch: one queue per channel type (<c>message.dispatch.&lt;type&gt;</c>), consumed by the roles that ask for it.</summary>
public sealed class DispatchModule : ITurumbaModule
{
    private static readonly Dictionary<string, Type> Markers = new(StringComparer.Ordinal)
    {
        [ChannelTypes.Sms] = typeof(SmsChannel),
        [ChannelTypes.Smpp] = typeof(SmppChannel),
        [ChannelTypes.Telegram] = typeof(TelegramChannel),
        [ChannelTypes.WhatsApp] = typeof(WhatsAppChannel),
        [ChannelTypes.Messenger] = typeof(MessengerChannel),
        [ChannelTypes.Email] = typeof(EmailChannel),
    };

    public void AddServices(IServiceCollection services, IConfiguration configuration, HostRoles roles)
    {
        services.AddOptions<DispatchOptions>().BindConfiguration(DispatchOptions.Section)
            .Validate(o => o.RetryBaseDelay > TimeSpan.Zero && o.ConcurrencyPerQueue > 0 && o.SendsPerChannelType > 0 && o.BatchesPerChannelType > 0,
                $"{DispatchOptions.Section}: RetryBaseDelay, ConcurrencyPerQueue, SendsPerChannelType and BatchesPerChannelType must be positive.")
            .Validate(o => o.InfrastructureRetries >= 0 && o.InfrastructureRetryMinInterval > TimeSpan.Zero
                    && o.InfrastructureRetryMaxInterval >= o.InfrastructureRetryMinInterval && o.RecordRetryFor >= TimeSpan.Zero,
                $"{DispatchOptions.Section}: InfrastructureRetries and RecordRetryFor must not be negative, and 0 < InfrastructureRetryMinInterval <= InfrastructureRetryMaxInterval.")
            .ValidateOnStart();
        services.AddSingleton<DispatchPipeline>();
        services.AddSingleton<DispatchRunFactory>();
        services.AddSingleton<DispatchRecorder>();
        services.AddSingleton<RecipientGate>();
        services.AddSingleton<DispatchLocks>();
        if (roles.Has(HostRole.Maintenance))
        {
            services.AddHostedService<Telemetry.DispatchQueueDepthSampler>();
        }
    }

    public void AddConsumers(IBusRegistrationConfigurator bus, HostRoles roles)
    {
        foreach (var channelType in roles.DispatchedChannelTypes)
        {
            var marker = Markers[channelType];
            bus.AddConsumer(typeof(DispatchConsumer<>).MakeGenericType(marker), typeof(DispatchConsumerDefinition<>).MakeGenericType(marker));
        }
    }
}
