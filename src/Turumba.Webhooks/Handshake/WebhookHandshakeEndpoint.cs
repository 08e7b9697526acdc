using Microsoft.AspNetCore.Http;
using Turumba.Channels;
using Turumba.Platform.Api;

namespace Turumba.Webhooks.Handshake;

/// <summary>
/// <c>GET /webhooks/{channel_type}/{channel_id}</c>: a provider's subscription handshake (Meta sends
/// <c>hub.mode</c>, <c>hub.verify_token</c>, <c>hub.challenge</c> before it posts anything). The adapter
/// decides; a channel whose adapter has no handshake, or a wrong token, is a 403.
/// </summary>
internal static class WebhookHandshakeEndpoint
{
    public static async Task<IResult> HandleAsync(
        string channelType, Guid channelId, HttpRequest request, IChannelCatalog channels, ChannelAdapterRegistry adapters, CancellationToken cancellationToken)
    {
        var channel = await channels.FindAsync(channelId, cancellationToken);
        var adapter = channel is null || channel.ChannelType != channelType ? null : adapters.TryResolve(channel.ChannelType, channel.Provider);
        if (channel is null || adapter is null)
        {
            throw new NotFoundException($"No {channelType} channel with id {channelId} takes webhooks here.");
        }

        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        return adapter.AnswerHandshake(query, channel.Credentials) is { } reply
            ? Results.Text(reply.Body, reply.ContentType, System.Text.Encoding.UTF8)
            : throw new ApiException(StatusCodes.Status403Forbidden, ApiErrorCodes.Forbidden, "The handshake's mode or verify token does not match this channel.");
    }
}
