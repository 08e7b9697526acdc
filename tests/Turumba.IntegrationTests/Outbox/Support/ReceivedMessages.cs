using System.Collections.Concurrent;
using MassTransit;

namespace Turumba.IntegrationTests.Outbox.Support;

/// <summary>What the test consumers received, shared by every host of one test.</summary>
public sealed class ReceivedMessages
{
    private readonly ConcurrentQueue<(Guid? MessageId, object Message)> _messages = new();

    public void Add(ConsumeContext context, object message) => _messages.Enqueue((context.MessageId, message));

    public IReadOnlyList<(Guid? MessageId, T Message)> Of<T>(Func<T, bool> where) =>
        _messages.Where(m => m.Message is T t && where(t)).Select(m => (m.MessageId, (T)m.Message)).ToList();
}

internal sealed class OutboxProbeConsumer(ReceivedMessages received) : IConsumer<OutboxProbe>
{
    public Task Consume(ConsumeContext<OutboxProbe> context)
    {
        received.Add(context, context.Message);
        return Task.CompletedTask;
    }
}

internal sealed class GuardedCommandHandledConsumer(ReceivedMessages received) : IConsumer<GuardedCommandHandled>
{
    public Task Consume(ConsumeContext<GuardedCommandHandled> context)
    {
        received.Add(context, context.Message);
        return Task.CompletedTask;
    }
}
