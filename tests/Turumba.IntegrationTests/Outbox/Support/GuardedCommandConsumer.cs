using MassTransit;
using Microsoft.EntityFrameworkCore;
using Turumba.Outbox;
using Turumba.Platform.Persistence;

namespace Turumba.IntegrationTests.Outbox.Support;

/// <summary>
/// A consumer behind the inbox + consumer outbox: it writes a side-effect row and publishes, both
/// in the outbox transaction; on request it fails its first attempt after doing both.
/// </summary>
internal sealed class GuardedCommandConsumer(TurumbaDbContext db) : IConsumer<GuardedCommand>
{
    public const string Queue = "guarded-command";

    public async Task Consume(ConsumeContext<GuardedCommand> context)
    {
        await db.Database.ExecuteSqlAsync(
            $"insert into messaging_test.side_effects (message_id, run_id) values ({context.MessageId}, {context.Message.RunId})");
        await context.Publish(new GuardedCommandHandled(context.Message.RunId));
        if (context.Message.FailFirstAttempt && context.GetRetryAttempt() == 0)
        {
            throw new InvalidOperationException("First attempt fails on purpose.");
        }
    }
}

internal sealed class GuardedCommandConsumerDefinition : ConsumerDefinition<GuardedCommandConsumer>
{
    public GuardedCommandConsumerDefinition()
    {
        EndpointName = GuardedCommandConsumer.Queue;
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<GuardedCommandConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Immediate(2));
        endpointConfigurator.UseTurumbaEntityFrameworkOutbox<TurumbaDbContext>(context);
    }
}
