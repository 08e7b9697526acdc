using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Platform.Api.OpenApi;
using Turumba.Platform.Hosting;
using Turumba.Platform.Modules;
using Turumba.Webhooks.Handshake;
using Turumba.Webhooks.Receiving;

namespace Turumba.Webhooks;

/// <summary>Webhook receivers for every provider, authenticated by provider signatures instead of API keys.</summary>
public sealed class WebhooksModule : ITurumbaModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, HostRoles roles)
    {
        services.AddSingleton<WebhookDeduplicator>();
        services.AddSingleton<BrokerCircuit>();
        services.AddScoped<WebhookHandOff>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints, HostRoles roles)
    {
        if (!roles.Has(HostRole.Webhooks))
        {
            return;
        }

        endpoints.MapPost("/webhooks/{channelType}/{channelId:guid}", ReceiveWebhookEndpoint.HandleAsync)
            .WithMetadata(new RequestSizeLimitAttribute(ReceiveWebhookEndpoint.MaxBodyBytes))
            .WithTags("webhooks")
            .WithName("ReceiveWebhook")
            .WithSummary("Receive a provider callback")
            .WithDescription("Where a channel's provider posts inbound messages and delivery reports; the URL is registered with the provider when the channel is created. " +
                "The call is authenticated per adapter, not by API key: by a signature header or a token in the query, listed below with the adapter they belong to. " +
                "A call that fails the check is a 401; a repeat of a call already handled is acknowledged and ignored. The body is the provider's own format (JSON or form; Amazon SNS posts its JSON as text/plain); " +
                "some providers get a reply in their own format (text) instead of the JSON envelope.")
            .Accepts<JsonObject>("application/json", "application/x-www-form-urlencoded", "text/plain")
            .ProducesData<WebhookReceivedResponse>()
            .ProducesError(StatusCodes.Status403Forbidden, "forbidden: a subscription confirmation the channel does not accept (not its topic, not the provider's host).")
            .AddOpenApiOperationTransformer(WebhookDocumentation.AddAuthenticationParameters)
            .ProducesError(StatusCodes.Status401Unauthorized, "unauthorized: the signature or token does not match this channel.")
            .WithErrorResponses()
            .AddEndpointFilter(WebhookMetrics.TimeAsync)
            .AllowAnonymous();

        endpoints.MapGet("/webhooks/{channelType}/{channelId:guid}/unsubscribe", Unsubscribe.UnsubscribeEndpoint.HandleAsync)
            .WithTags("webhooks")
            .WithName("UnsubscribePage")
            .WithSummary("Show an unsubscribe confirmation page")
            .WithDescription("Where a person following a bulk email's List-Unsubscribe link lands (query token: the signed token of the link). " +
                "Shows the address and a button that posts the one-click unsubscribe; fetching it suppresses nothing, so link scanners are harmless.")
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .ProducesError(StatusCodes.Status400BadRequest, "bad_request: the token is missing, altered or not this channel's.")
            .WithErrorResponses()
            .AllowAnonymous();

        endpoints.MapPost("/webhooks/{channelType}/{channelId:guid}/unsubscribe", Unsubscribe.UnsubscribeEndpoint.HandleAsync)
            .WithMetadata(new RequestSizeLimitAttribute(16 * 1024))
            .WithTags("webhooks")
            .WithName("Unsubscribe")
            .WithSummary("One-click unsubscribe (RFC 8058)")
            .WithDescription("What a mail client posts (body List-Unsubscribe=One-Click) for a bulk email's List-Unsubscribe link, or the confirmation page's button: " +
                "the address the signed token names goes on the account's suppression list (reason opt_out). A forged or altered token is a 400.")
            .ProducesData<Unsubscribe.UnsubscribedResponse>()
            .ProducesError(StatusCodes.Status400BadRequest, "bad_request: the token is missing, altered or not this channel's.")
            .WithErrorResponses()
            .DisableAntiforgery()
            .AllowAnonymous();

        endpoints.MapGet("/webhooks/{channelType}/{channelId:guid}", WebhookHandshakeEndpoint.HandleAsync)
            .WithTags("webhooks")
            .WithName("WebhookHandshake")
            .WithSummary("Answer a provider's webhook verification")
            .WithDescription("The GET a provider sends when the callback URL is saved (for example hub.mode=subscribe, hub.verify_token and hub.challenge). " +
                "The challenge is echoed as text when the verify token matches the channel's; otherwise 403. Channel types without a handshake answer 404.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesError(StatusCodes.Status403Forbidden, "forbidden: the verify token does not match this channel.")
            .WithErrorResponses()
            .AllowAnonymous();
    }
}
