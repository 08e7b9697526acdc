using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turumba.Channels;
using Turumba.Messaging;

namespace Turumba.Dispatch.Sending;

/// <summary>
/// Takes a dispatch command to its sends: finds the channel (messages of a missing or disabled
/// channel are skipped, still queued), takes the command's lock, lets batches take turns per
/// channel type, resolves the channel's adapter and hands the messages to a <see cref="DispatchRun"/>
/// — or, when no adapter serves the channel, fails them at once.
/// </summary>
internal sealed class DispatchPipeline(
    IChannelCatalog channels,
    ChannelAdapterRegistry adapters,
    DispatchLocks locks,
    DispatchRunFactory runs,
    IOptions<DispatchOptions> options,
    ILogger<DispatchRun> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _batchGates = new(StringComparer.Ordinal);

    public async Task DispatchAsync(string command, Guid channelId, IReadOnlyList<MessageKey> keys, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var channel = await channels.FindAsync(channelId, cancellationToken);
        if (channel is null || !channel.IsEnabled)
        {
            DispatchRun.LogSkipped(logger, keys.Count, command, channel is null ? "their channel no longer exists" : "their channel is disabled");
            return;
        }

        // A twin of this command is being worked on (or its worker died and the lock is expiring):
        // try again later rather than drop it, since the twin may not have claimed the messages yet.
        await using var held = await locks.TryAcquireAsync(command) ?? throw new DispatchBusyException(command);

        // Batches take turns so that each gets rounds big enough to be worth a round trip, and
        // messages waiting for their turn stay queued (a cancel still stops them).
        var gate = keys.Count > 1 ? _batchGates.GetOrAdd(channel.ChannelType, _ => new SemaphoreSlim(options.Value.BatchesPerChannelType)) : null;
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken);
        }

        try
        {
            var run = runs.Start(command, channel, keys, publish);
            var adapter = adapters.TryResolve(channel.ChannelType, channel.Provider);
            if (adapter is null)
            {
                await run.FailAllAsync("adapter_not_found", new AdapterNotFoundException(channel.ChannelType, channel.Provider).Message, cancellationToken);
                return;
            }

            await run.SendAsync(adapter, cancellationToken);
        }
        finally
        {
            gate?.Release();
        }
    }
}

/// <summary>Another dispatcher holds this command's lock; the command is retried after a while.</summary>
internal sealed class DispatchBusyException(string command)
    : Exception($"Dispatch command {command} is being worked on elsewhere; trying again later.");

/// <summary>The channel stayed paused longer than a consumer may wait; the messages are queued again and redelivered.</summary>
internal sealed class ChannelPausedException(Guid channelId)
    : Exception($"Channel {channelId} is still paused; its messages were queued again.");
