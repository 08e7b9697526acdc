using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Turumba.Outbox;

internal sealed class TurumbaOutboxConfigurator<TDbContext>(IBusRegistrationConfigurator bus)
    : ITurumbaOutboxConfigurator, ITurumbaBusOutboxConfigurator
    where TDbContext : DbContext
{
    private readonly TurumbaOutboxOptions _options = new();
    private bool _postgres;
    private bool _busOutbox;
    private bool _delivery = true;
    private bool _cleanup = true;

    public TimeSpan QueryDelay { get => _options.QueryDelay; set => _options.QueryDelay = value; }

    public TimeSpan DuplicateDetectionWindow { get => _options.DuplicateDetectionWindow; set => _options.DuplicateDetectionWindow = value; }

    public TimeSpan CleanupInterval { get => _options.CleanupInterval; set => _options.CleanupInterval = value; }

    public int MessageDeliveryLimit { get => _options.MessageDeliveryLimit; set => _options.MessageDeliveryLimit = value; }

    public TimeSpan MessageDeliveryTimeout { get => _options.MessageDeliveryTimeout; set => _options.MessageDeliveryTimeout = value; }

    public int DeliveryConcurrency { get => _options.DeliveryConcurrency; set => _options.DeliveryConcurrency = value; }

    public int DeadLetterAfter { get => _options.DeadLetterAfter; set => _options.DeadLetterAfter = value; }

    public void UsePostgres() => _postgres = true;

    public void UseBusOutbox(Action<ITurumbaBusOutboxConfigurator>? configure = null)
    {
        _busOutbox = true;
        configure?.Invoke(this);
    }

    public void DisableDeliveryService() => _delivery = false;

    public void DisableCleanupService() => _cleanup = false;

    public void Apply(Action<ITurumbaOutboxConfigurator>? configure)
    {
        configure?.Invoke(this);
        if (!_postgres)
        {
            throw new ConfigurationException("The Turumba EF Core outbox supports PostgreSQL only: call UsePostgres().");
        }

        if (_options.MessageDeliveryLimit < 1 || _options.DeliveryConcurrency < 1 || _options.CleanupBatchSize < 1 || _options.DeadLetterAfter < 1)
        {
            throw new ConfigurationException("MessageDeliveryLimit, DeliveryConcurrency, CleanupBatchSize and DeadLetterAfter must be at least 1.");
        }

        var options = _options;
        bus.AddOptions<TurumbaOutboxOptions>(TurumbaOutboxOptions.NameFor(typeof(TDbContext))).Configure(o =>
        {
            o.QueryDelay = options.QueryDelay;
            o.MessageDeliveryLimit = options.MessageDeliveryLimit;
            o.MessageDeliveryTimeout = options.MessageDeliveryTimeout;
            o.DeliveryConcurrency = options.DeliveryConcurrency;
            o.DeadLetterAfter = options.DeadLetterAfter;
            o.DuplicateDetectionWindow = options.DuplicateDetectionWindow;
            o.CleanupInterval = options.CleanupInterval;
            o.CleanupBatchSize = options.CleanupBatchSize;
        });

        // Consumer outbox + inbox: MassTransit's OutboxConsumeFilter resolves this from the consume scope.
        bus.TryAddScoped<IOutboxContextFactory<TDbContext>, DbContextOutboxContextFactory<TDbContext>>();
        bus.TryAddSingleton<OutboxBacklog<TDbContext>>();
        bus.TryAddSingleton<IOutboxBacklog>(sp => sp.GetRequiredService<OutboxBacklog<TDbContext>>());

        if (_busOutbox)
        {
            bus.ReplaceScoped<IScopedBusContextProvider<IBus>, OutboxScopedBusContextProvider<TDbContext>>();
            if (_delivery)
            {
                bus.AddSingleton<OutboxWakeSignal<TDbContext>>();
                bus.AddHostedService<OutboxNotificationListener<TDbContext>>();
                bus.AddHostedService<BusOutboxDeliveryService<TDbContext>>();
            }
        }

        if (_cleanup)
        {
            bus.AddHostedService<OutboxCleanupService<TDbContext>>();
        }
    }
}
