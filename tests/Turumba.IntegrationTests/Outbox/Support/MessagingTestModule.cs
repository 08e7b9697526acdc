using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Turumba.Platform.Hosting;
using Turumba.Outbox;
using Turumba.Outbox.Sagas;
using Turumba.Platform.Modules;

namespace Turumba.IntegrationTests.Outbox.Support;

/// <summary>The test consumers and saga, added to a host the way a real module adds its own.</summary>
internal sealed class MessagingTestModule(ReceivedMessages received) : ITurumbaModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, HostRoles roles)
    {
        services.AddSingleton(received);
        services.AddDbContext<SagaTestDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()).UseSnakeCaseNamingConvention().UseTurumbaOutbox());
    }

    public void AddConsumers(IBusRegistrationConfigurator bus, HostRoles roles)
    {
        bus.AddConsumer<OutboxProbeConsumer>();
        bus.AddConsumer<GuardedCommandHandledConsumer>();
        bus.AddConsumer<GuardedCommandConsumer, GuardedCommandConsumerDefinition>();
        bus.AddSagaStateMachine<CounterStateMachine, CounterState, CounterSagaDefinition>()
            .TurumbaEntityFrameworkRepository<CounterState, SagaTestDbContext>();

        // A second DbContext with a consumer outbox of its own (no bus outbox: that stays the platform's).
        bus.AddTurumbaEntityFrameworkOutbox<SagaTestDbContext>(o =>
        {
            o.UsePostgres();
            o.DisableCleanupService();
        });
        bus.AddConsumer<CounterChangedConsumer>();
        bus.AddSagaStateMachine<GuardedCounterStateMachine, GuardedCounterState, GuardedCounterSagaDefinition>()
            .TurumbaEntityFrameworkRepository<GuardedCounterState, SagaTestDbContext>();
    }
}
