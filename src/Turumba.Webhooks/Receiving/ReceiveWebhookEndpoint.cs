using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Turumba.Channels;
using Turumba.Contracts;
using Turumba.Platform.Api;
using Turumba.Platform.Api.Input;

namespace Turumba.Webhooks.Receiving;

/// <summary>
/// <c>POST /webhooks/{channel_type}/{channel_id}</c>: verify the provider's signature, parse, hand
/// the events to <c>webhook.inbound</c> / <c>message.status.update</c>, answer 200. No database
/// work while the broker answers, so the answer comes in milliseconds; a wrong signature or a body
/// that does not parse is refused before anything is published. When the broker does not take the
/// events in time they go through the bus outbox instead (<see cref="WebhookHandOff"/>).
/// </summary>
/// <summary>How many inbound messages and status updates a webhook call carried.</summary>
internal sealed record WebhookReceivedResponse(int Inbound, int Statuses);

internal static class ReceiveWebhookEndpoint
{
    public const long MaxBodyBytes = 1024 * 1024;

    public static async Task<IResult> HandleAsync(
        string channelType,
        Guid channelId,
        HttpRequest request,
        IChannelCatalog channels,
        ChannelAdapterRegistry adapters,
        WebhookHandOff handOff,
        IConfiguration configuration,
        CancellationToken cancellationToken)
    {
        var channel = await channels.FindAsync(channelId, cancellationToken);
        var adapter = channel is null || channel.ChannelType != channelType ? null : adapters.TryResolve(channel.ChannelType, channel.Provider);
        if (channel is null || adapter is null)
        {
            throw new NotFoundException($"No {channelType} channel with id {channelId} takes webhooks here.");
        }

        // Signatures cover the URL the provider called: behind a proxy that is the public base URL, not this host's.
        var origin = configuration["Turumba:Webhooks:BaseUrl"] is { Length: > 0 } baseUrl
            ? baseUrl.TrimEnd('/')
            : $"{request.Scheme}://{request.Host}{request.PathBase}";
        var webhook = new WebhookRequest(
            $"{origin}{request.Path}{request.QueryString}",
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            await ReadBodyAsync(request, cancellationToken));
        if (!await adapter.VerifySignatureAsync(webhook, channel.Credentials, cancellationToken))
        {
            throw new ApiException(StatusCodes.Status401Unauthorized, ApiErrorCodes.Unauthorized, "The webhook signature does not match this channel.");
        }

        WebhookReply? control;
        try
        {
            control = await adapter.AnswerControlMessageAsync(webhook, channel.Credentials, cancellationToken);
        }
        catch (InvalidPayloadException ex)
        {
            throw new ApiException(StatusCodes.Status403Forbidden, ApiErrorCodes.Forbidden, ex.Message);
        }
        catch (ProviderConnectionException ex)
        {
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.Unavailable, ex.Message);
        }

        if (control is not null)
        {
            return Results.Text(control.Body, control.ContentType, System.Text.Encoding.UTF8);
        }

        IReadOnlyList<InboundMessage> inbound;
        IReadOnlyList<StatusUpdate> statuses;
        try
        {
            inbound = adapter.ParseInbound(webhook);
            statuses = adapter.ParseStatusUpdates(webhook, channel.Credentials);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new BadRequestException($"The webhook body is not a {channelType} update this service understands: {ex.Message}");
        }

        var events = new List<WebhookEvent>(inbound.Count + statuses.Count);
        foreach (var message in inbound)
        {
            // PostgreSQL cannot store NUL; a provider may still send it. It is removed, never the message.
            events.Add(new WebhookEvent(new InboundMessageReceived(
                channel.Id, channel.AccountId, channel.ChannelType, message.EventId, Nul.Strip(message.ProviderMessageId), Nul.Strip(message.SenderAddress),
                StripOrNull(message.SenderName), StripOrNull(message.Body), message.MediaFileIds.Select(Nul.Strip).ToList(), message.ReceivedAt,
                StripOrNull(message.ReplyToProviderMessageId)), message.EventId));
        }

        foreach (var status in statuses)
        {
            events.Add(new WebhookEvent(new ProviderStatusReported(
                channel.Id, channel.AccountId, status.EventId, Nul.Strip(status.ProviderMessageId), status.Status, status.OccurredAt,
                StripOrNull(status.ErrorCode), StripOrNull(status.ErrorMessage), StripOrNull(status.RecipientAddress), status.Watermark), status.EventId));
            if (status is { SuppressRecipient: { } reason, RecipientAddress: { Length: > 0 } address })
            {
                // Not deduplicated: putting an address on the list twice leaves one row.
                events.Add(new WebhookEvent(new RecipientSuppressed(channel.AccountId, channel.Id, channel.ChannelType, Nul.Strip(address), reason,
                    SuppressionSources.StatusCallback, status.OccurredAt), null));
            }
        }

        await handOff.HandOnAsync(channel.Id, events);
        return adapter.ReplyTo(webhook) is { } reply
            ? Results.Text(reply.Body, reply.ContentType, System.Text.Encoding.UTF8)
            : ApiResults.Ok(new WebhookReceivedResponse(inbound.Count, statuses.Count));
    }

    private static string? StripOrNull(string? text) => text is null ? null : Nul.Strip(text);

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, ApiErrorCodes.PayloadTooLarge, $"Webhook bodies are limited to {MaxBodyBytes / 1024} KiB.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
