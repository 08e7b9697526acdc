using MassTransit;
using Turumba.Contracts;
using Turumba.Outbox;
using Turumba.Platform.Persistence;

namespace Turumba.Groups.Saga;

internal sealed class GroupSendSagaDefinition : SagaDefinition<GroupSendState>
{
    public GroupSendSagaDefinition()
    {
        EndpointName = GroupQueues.Saga;
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<GroupSendState> sagaConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Exponential(10, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
        endpointConfigurator.UseTurumbaEntityFrameworkOutbox<TurumbaDbContext>(context);
    }
}
