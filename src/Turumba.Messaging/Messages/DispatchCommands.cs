using MassTransit;
using Turumba.Channels;
using Turumba.Contracts;

namespace Turumba.Messaging.Messages;

/// <summary>
/// Dispatch commands for messages of one channel, a hundred per command (as a group send's page):
/// one claim and one outcome statement per hundred at dispatch; a lone message is a <see cref="DispatchMessage"/>.
/// Sent through <paramref name="endpoint"/>, the bus outbox of the caller's context.
/// </summary>
internal static class DispatchCommands
{
    public const int BatchSize = 100;

    public static async Task SendAsync(
        ISendEndpoint endpoint, ChannelSnapshot channel, IEnumerable<(Guid Id, DateTimeOffset CreatedAt, Guid AccountId)> messages,
        CancellationToken cancellationToken)
    {
        foreach (var chunk in messages.Chunk(BatchSize))
        {
            await (chunk is [var one]
                ? endpoint.Send(new DispatchMessage(one.Id, one.CreatedAt, one.AccountId, channel.Id, channel.ChannelType), cancellationToken)
                : endpoint.Send(new DispatchBatch(Guid.CreateVersion7(), chunk[0].AccountId, channel.Id, channel.ChannelType,
                    chunk.Select(m => new DispatchItem(m.Id, m.CreatedAt)).ToList()), cancellationToken));
        }
    }
}
