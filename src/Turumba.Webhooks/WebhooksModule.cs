using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Platform.Hosting;
using Turumba.Platform.Modules;
using Turumba.Webhooks.Handshake;
using Turumba.Webhooks.Receiving;

namespace Turumba.Webhooks;

/// <summary>Webhook receivers for every provider, authenticated by provider signatures instead of API keys.</summary>
public sealed class WebhooksModule : ITurumbaModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, HostRoles roles) =>
        services.AddSingleton<WebhookDeduplicator>();

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
            .AddEndpointFilter(WebhookMetrics.TimeAsync)
            .AllowAnonymous();

        endpoints.MapMethods("/webhooks/{channelType}/{channelId:guid}/unsubscribe", ["GET", "POST"], Unsubscribe.UnsubscribeEndpoint.HandleAsync)
            .WithMetadata(new RequestSizeLimitAttribute(16 * 1024))
            .WithTags("webhooks")
            .WithName("Unsubscribe")
            .DisableAntiforgery()
            .AllowAnonymous();

        endpoints.MapGet("/webhooks/{channelType}/{channelId:guid}", WebhookHandshakeEndpoint.HandleAsync)
            .WithTags("webhooks")
            .WithName("WebhookHandshake")
            .AllowAnonymous();
    }
}
