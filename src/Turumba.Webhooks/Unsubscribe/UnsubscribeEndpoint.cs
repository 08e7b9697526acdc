using System.Text.Encodings.Web;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Turumba.Channels;
using Turumba.Contracts;
using Turumba.Platform.Api;

namespace Turumba.Webhooks.Unsubscribe;

/// <summary>
/// <c>/webhooks/{channel_type}/{channel_id}/unsubscribe?token=…</c>, the one-click unsubscribe of
/// RFC 8058: a <c>POST</c> (what a mail client sends, body <c>List-Unsubscribe=One-Click</c>) puts
/// the address the signed token names on the suppression list and answers 200; a <c>GET</c> (a person
/// following the link, or a link scanner) only shows a page with the button that posts it, so nothing
/// is suppressed by merely fetching the URL. A token that is forged, altered or for another channel is a 400.
/// </summary>
internal static class UnsubscribeEndpoint
{
    public static async Task<IResult> HandleAsync(
        string channelType, Guid channelId, HttpRequest request, IChannelCatalog channels, ChannelAdapterRegistry adapters, IBus publish,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var channel = await channels.FindAsync(channelId, cancellationToken);
        var adapter = channel is null || channel.ChannelType != channelType ? null : adapters.TryResolve(channel.ChannelType, channel.Provider);
        if (channel is null || adapter is null)
        {
            throw new NotFoundException($"No {channelType} channel with id {channelId} takes unsubscribes here.");
        }

        var token = request.Query["token"].ToString();
        var unsubscribe = token.Length is > 0 and < 4096 ? adapter.ReadUnsubscribeToken(token, channel.Credentials) : null;
        if (unsubscribe is null)
        {
            throw new BadRequestException("The unsubscribe link is not valid: its token is missing, altered or not this channel's.");
        }

        if (HttpMethods.IsGet(request.Method))
        {
            request.HttpContext.Response.Headers["X-Robots-Tag"] = "noindex";
            var action = HtmlEncoder.Default.Encode($"{request.PathBase}{request.Path}{request.QueryString}");
            var address = HtmlEncoder.Default.Encode(unsubscribe.Address);
            return Results.Content(
                $"""
                <!doctype html>
                <html lang="en"><head><title>Unsubscribe</title></head>
                <body><h1>Unsubscribe</h1><p>Stop messages to <strong>{address}</strong>?</p>
                <form method="post" action="{action}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
                </body></html>
                """, "text/html; charset=utf-8");
        }

        await publish.Publish(new RecipientSuppressed(channel.AccountId, channel.Id, channel.ChannelType, unsubscribe.Address, "opt_out",
            SuppressionSources.UnsubscribeLink, clock.GetUtcNow()), cancellationToken);
        return ApiResults.Ok(new UnsubscribedResponse(unsubscribe.Address, unsubscribe.MessageId, Suppressed: true));
    }
}

/// <summary>The address put on the suppression list, and the message whose link it was.</summary>
internal sealed record UnsubscribedResponse(string Address, Guid MessageId, bool Suppressed);
