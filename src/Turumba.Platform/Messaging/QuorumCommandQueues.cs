using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Turumba.Platform.Messaging;

/// <summary>
/// With quorum queues, commands go to the exchange of their queue (decision 90), and an exchange with
/// no queue bound yet drops what it is sent: on a new broker, a dispatch or fan-out command sent before
/// its consumer first started would be lost until a sweep found it. So every instance declares the
/// command queues at start exactly as MassTransit's consumer does (durable quorum queue, a durable
/// fanout exchange of the same name, bound to it); RabbitMQ takes an identical declaration as a no-op,
/// and <c>QuorumQueueTests</c> fails if the two ever differ. A broker that is down at start is logged;
/// the consumers declare the queues themselves when they come up.
/// </summary>
internal sealed partial class QuorumCommandQueues(IConfiguration configuration, IReadOnlyList<string> queues, ILogger<QuorumCommandQueues> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var factory = new ConnectionFactory { Uri = new BrokerAddress(configuration).Amqp, ClientProvidedName = "turumba-command-queues" };
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            var arguments = new Dictionary<string, object?> { ["x-queue-type"] = "quorum" };
            foreach (var queue in queues)
            {
                await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken);
                await channel.QueueBindAsync(queue, queue, string.Empty, cancellationToken: cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotDeclared(logger, ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not declare the command queues at start ({Reason}); their consumers declare them when they start")]
    private static partial void LogNotDeclared(ILogger logger, string reason);
}
