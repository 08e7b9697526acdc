using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turumba.Channels;
using Turumba.Messaging;
using Turumba.Platform.Redis.RateLimiting;

namespace Turumba.Dispatch.Sending;

/// <summary>
/// Starts a <see cref="DispatchRun"/> per command and holds what runs share: the services they
/// call and the provider-call permits of each channel type, which every run of that type on this
/// instance draws from.
/// </summary>
internal sealed class DispatchRunFactory(
    IMessageStore messages,
    IChannelCatalog channels,
    RedisRateLimiter limiter,
    ChannelRateLimitPolicy limitPolicy,
    DispatchRecorder recorder,
    RecipientGate recipients,
    IOptions<DispatchOptions> options,
    TimeProvider clock,
    ILogger<DispatchRun> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _sendPermits = new(StringComparer.Ordinal);

    public IMessageStore Messages => messages;

    public IChannelCatalog Channels => channels;

    public RedisRateLimiter Limiter => limiter;

    public DispatchRecorder Recorder => recorder;

    public RecipientGate Recipients => recipients;

    public DispatchOptions Options => options.Value;

    public TimeProvider Clock => clock;

    public ILogger<DispatchRun> Logger => logger;

    public DispatchRun Start(string command, ChannelSnapshot channel, IReadOnlyList<MessageKey> keys, IPublishEndpoint publish) =>
        new(this, command, channel, keys, publish, limitPolicy.For(channel),
            _sendPermits.GetOrAdd(channel.ChannelType, _ => new SemaphoreSlim(options.Value.SendsPerChannelType)));
}
