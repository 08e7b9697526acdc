using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;
using Turumba.Platform.Telemetry;

namespace Turumba.Webhooks.Receiving;

/// <summary>An event a webhook call carried, with the provider's event id when repeats of it are to be skipped.</summary>
internal sealed record WebhookEvent(object Message, string? EventId);

/// <summary>
/// Hands a webhook call's events on. Straight to the broker when it answers within
/// <see cref="BrokerPatience"/>; otherwise (broker down, reconnecting, or slow) the events not yet
/// published go into the bus outbox in PostgreSQL and the outbox relay publishes them later; after a
/// broker failure (<see cref="BrokerCircuit"/>) the outbox is tried first and the broker second. Only
/// when both fail is the call refused (503). Several providers (Twilio among them) drop a callback we refuse,
/// so refusing for a broker blip would lose the receipt; consumers take a repeat harmlessly (reports
/// only move a message forward, inbound messages are stored once per provider id), so an event that
/// reached the broker after its publish timed out and is parked as well costs nothing.
/// </summary>
internal sealed partial class WebhookHandOff(
    WebhookDeduplicator deduplicator, BrokerCircuit circuit, IBus bus, IPublishEndpoint outbox, TurumbaDbContext db, ILogger<WebhookHandOff> logger)
{
    public static readonly TimeSpan BrokerPatience = TimeSpan.FromSeconds(2);

    private static readonly Counter<long> Parked = TurumbaTelemetry.Meter.CreateCounter<long>(
        "turumba.webhooks.parked", description: "Webhook events written to the bus outbox because the broker did not take them in time.");

    public async Task HandOnAsync(Guid channelId, IReadOnlyList<WebhookEvent> events)
    {
        var fresh = new List<WebhookEvent>(events.Count);
        foreach (var e in events)
        {
            if (e.EventId is null || await deduplicator.FirstTimeAsync(channelId, e.EventId))
            {
                fresh.Add(e);
            }
        }

        // Broker first, unless it just failed; then the outbox; then the other one once more. Not the request's
        // token: once the provider's call is verified and read, its events are ours to keep even if the provider stops waiting.
        var rest = fresh;
        var brokerFirst = !circuit.IsOpen;
        if (brokerFirst && (rest = await PublishAsync(channelId, rest)).Count == 0)
        {
            return;
        }

        if (rest.Count == 0 || await TryParkAsync(rest) is not { } failure)
        {
            return;
        }

        if (!brokerFirst && (rest = await PublishAsync(channelId, rest)).Count == 0)
        {
            return;
        }

        // Neither the broker nor PostgreSQL took them: refuse the call, and let the provider's retry be taken.
        foreach (var e in rest.Where(e => e.EventId is not null))
        {
            await deduplicator.ForgetAsync(channelId, e.EventId!);
        }

        throw new ApiException(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.Unavailable,
            $"Neither the broker nor the database took the events of this call ({failure.Message}); send it again.");
    }

    /// <summary>Publishes with <see cref="BrokerPatience"/>; what the broker did not take is returned (and the circuit opened).</summary>
    private async Task<List<WebhookEvent>> PublishAsync(Guid channelId, List<WebhookEvent> events)
    {
        var published = 0;
        try
        {
            using var patience = new CancellationTokenSource(BrokerPatience);
            for (; published < events.Count; published++)
            {
                await bus.Publish(events[published].Message, events[published].Message.GetType(), patience.Token);
            }

            return [];
        }
        catch (Exception ex)
        {
            // Whatever the client library throws (closed channel, failed confirm, our timeout), the broker did not take them.
            circuit.Open();
            LogBrokerUnavailable(logger, channelId, events.Count - published, ex.Message);
            return events.Skip(published).ToList();
        }
    }

    /// <summary>Writes the events to the bus outbox; the failure when PostgreSQL did not take them.</summary>
    private async Task<Exception?> TryParkAsync(List<WebhookEvent> events)
    {
        try
        {
            foreach (var e in events)
            {
                await outbox.Publish(e.Message, e.Message.GetType(), CancellationToken.None);
            }

            await db.SaveChangesAsync(CancellationToken.None);
            Parked.Add(events.Count);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // PostgreSQL down, restarting or out of connections: whatever it was, the events are not stored.
            db.ChangeTracker.Clear();
            return ex;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker did not take {Count} event(s) of a webhook call for channel {ChannelId} in time ({Reason}); webhook events go through the outbox for the next few seconds")]
    private static partial void LogBrokerUnavailable(ILogger logger, Guid channelId, int count, string reason);
}
