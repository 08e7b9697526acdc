using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turumba.Channels;
using Turumba.Contracts;
using Turumba.Messaging;
using Turumba.Platform;
using Turumba.Platform.Hosting;

namespace Turumba.Dispatch.Sending;

/// <summary>
/// Writes down what a round of sends achieved, per batch: one statement for the messages and one
/// <see cref="MessageStatusesChanged"/> event (from which the groups module moves its counters).
/// What a provider answered is not thrown away because PostgreSQL, Redis or the broker blinked
/// while it was being written: each step is tried again (backing off, for at most
/// <see cref="DispatchOptions.RecordRetryFor"/>) with the outcomes kept in memory. Each step is
/// retried on its own, so a broker blip does not repeat the message update.
/// </summary>
internal sealed partial class DispatchRecorder(
    IMessageStore messages, IOptions<DispatchOptions> options, TimeProvider clock, ILogger<DispatchRecorder> logger)
{
    private static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(10);
    private static readonly string Sending = MessageStatus.Sending.ToSnakeCase();

    public async Task RecordAsync(
        ChannelSnapshot channel, IReadOnlyList<(MessageForDispatch Message, DispatchOutcome Outcome)> results, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (results.Count == 0)
        {
            return;
        }

        var outcomes = results.Select(r => r.Outcome).ToList();
        await PersistAsync("the outcomes of " + outcomes.Count + " message(s)", () => messages.RecordOutcomesAsync(outcomes, cancellationToken), cancellationToken);

        var type = new KeyValuePair<string, object?>("channel_type", channel.ChannelType);
        foreach (var status in results.GroupBy(r => r.Outcome.Status))
        {
            DispatchMetrics.Dispatched.Add(status.Count(), type, new KeyValuePair<string, object?>("status", status.Key.ToSnakeCase()));
        }

        var at = clock.GetUtcNow();
        var changed = new MessageStatusesChanged(results.Select(r => new MessageStatusChange(
            r.Message.Id, r.Message.CreatedAt, r.Message.AccountId, channel.Id, r.Message.GroupMessageId, r.Outcome.Status.ToSnakeCase(),
            r.Outcome.ProviderMessageId, r.Outcome.ErrorMessage, at, Sending)).ToList());
        await PersistAsync("the status event", () => publish.Publish(changed, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="step"/>, and again after a failure of the infrastructure (backing off)
    /// until it succeeds or <see cref="DispatchOptions.RecordRetryFor"/> has passed; then the last
    /// failure is thrown.
    /// </summary>
    public async Task PersistAsync(string what, Func<Task> step, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var wait = FirstWait;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await step();
                if (attempt > 1)
                {
                    LogRecorded(logger, what, attempt);
                }

                return;
            }
            catch (Exception ex) when (IsRetryable(ex) && clock.GetElapsedTime(started) + wait <= options.Value.RecordRetryFor)
            {
                LogRecordFailed(logger, ex, what, attempt, wait);
            }

            await Task.Delay(wait, clock, cancellationToken);
            wait = wait * 2 < LongestWait ? wait * 2 : LongestWait;
        }
    }

    private static bool IsRetryable(Exception ex) =>
        TransientFailure.Is(ex) || ex is MassTransitException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {What} (attempt {Attempt}); kept in memory, trying again in {Wait}")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string what, int attempt, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorded {What} at attempt {Attempt}")]
    private static partial void LogRecorded(ILogger logger, string what, int attempt);
}
