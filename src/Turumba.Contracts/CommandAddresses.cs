namespace Turumba.Contracts;

/// <summary>
/// Where a command for a named queue is sent. With classic queues, to <c>queue:{name}</c>: the
/// sender declares the queue and its binding, so a command sent before the consumer first started
/// waits for it. A sender cannot declare a quorum queue that way (MassTransit declares it without
/// <c>x-queue-type</c>, and RabbitMQ refuses a declaration that differs from the queue's), so with
/// <c>Turumba:RabbitMq:QuorumQueues</c> commands go to <c>exchange:{name}</c>, the exchange the
/// consumer binds to its queue (docs/architecture.md, decision 90).
/// </summary>
public static class CommandAddresses
{
    /// <summary>Set once at start, from the setting, by the host; one instance has one bus and one choice.</summary>
    public static bool ViaExchange { get; set; }

    public static Uri For(string queue) => new(ViaExchange ? $"exchange:{queue}" : $"queue:{queue}");
}
