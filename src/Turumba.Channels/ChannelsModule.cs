using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MassTransit;
using Turumba.Channels.Caching;
using Turumba.Channels.Channels;
using Turumba.Channels.Channels.Create;
using Turumba.Channels.Channels.Delete;
using Turumba.Channels.Channels.Get;
using Turumba.Channels.Channels.List;
using Turumba.Channels.Channels.Recovery;
using Turumba.Channels.Channels.Update;
using Turumba.Channels.Channels.Verification;
using Turumba.Channels.Credentials;
using Turumba.Platform.Api;
using Turumba.Platform.Api.OpenApi;
using Turumba.Platform.Hosting;
using Turumba.Platform.Modules;

namespace Turumba.Channels;

/// <summary>Channels: the provider accounts messages go out through, and the adapter contract.</summary>
public sealed class ChannelsModule : ITurumbaModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, HostRoles roles)
    {
        services.AddValidatorsFromAssemblyContaining<ChannelsModule>(includeInternalTypes: true);
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .Validate(o => o.BaseUrl is null || Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _), $"{WebhookOptions.Section}:BaseUrl must be an absolute URL.")
            .ValidateOnStart();
        services.AddSingleton<CredentialProtector>();
        services.AddSingleton<Channels.ApiBaseUrlPolicy>();
        services.AddScoped<ChannelVerifier>();
        services.AddOptions<ChannelCacheOptions>().BindConfiguration(ChannelCacheOptions.Section)
            .Validate(o => o.TimeToLive > TimeSpan.Zero, $"{ChannelCacheOptions.Section}:TimeToLive must be positive.").ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.TenantPerMinute is null or > 0, $"{RateLimitOptions.Section}:TenantPerMinute must be positive (or absent for no tenant limit).")
            .Validate(o => o.Tenants.All(t => Guid.TryParse(t.Key, out _) && t.Value > 0), $"{RateLimitOptions.Section}:Tenants must map account ids to positive limits.")
            .Validate(o => o.ProviderAccounts.Values.All(v => v > 0), $"{RateLimitOptions.Section}:ProviderAccounts must map provider names to positive limits.")
            .ValidateOnStart();
        services.AddSingleton(sp => new ChannelRateLimitPolicy(sp.GetRequiredService<ChannelAdapterRegistry>(), sp.GetRequiredService<IOptions<RateLimitOptions>>()));
        services.AddSingleton<ChannelCatalog>();
        services.AddSingleton<Channels.Templates.ChannelTemplateSync>();
        services.AddSingleton<IChannelTemplates, ChannelTemplateLookup>();
        services.AddSingleton<CachedChannelCatalog>();
        services.AddOptions<Channels.Templates.TemplateSyncOptions>().BindConfiguration(Channels.Templates.TemplateSyncOptions.Section)
            .Validate(o => o.Interval >= TimeSpan.Zero, $"{Channels.Templates.TemplateSyncOptions.Section}:Interval must not be negative (0 turns the periodic sync off).")
            .ValidateOnStart();
        if (roles.Has(HostRole.Maintenance))
        {
            services.AddHostedService<RateLimitedChannelRecoveryService>();
            if (configuration.GetValue(Channels.Templates.TemplateSyncOptions.Section + ":Interval", TimeSpan.FromHours(1)) > TimeSpan.Zero)
            {
                services.AddHostedService<Channels.Templates.PeriodicTemplateSyncService>();
            }
        }

        services.AddSingleton<IChannelCatalog>(sp => sp.GetRequiredService<IOptions<ChannelCacheOptions>>().Value.Enabled
            ? sp.GetRequiredService<CachedChannelCatalog>()
            : sp.GetRequiredService<ChannelCatalog>());
    }

    public void ConfigureModel(ModelBuilder modelBuilder)
    {
        ChannelsModel.Configure(modelBuilder);
        Channels.Templates.ChannelTemplatesModel.Configure(modelBuilder);
    }

    // Every role caches channels, so every instance needs its own eviction queue.
    public void AddConsumers(IBusRegistrationConfigurator bus, HostRoles roles) =>
        bus.AddConsumer<ChannelCacheEvictionConsumer>().Endpoint(e =>
        {
            e.Name = $"channel-cache-eviction-{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid():N}";
            e.Temporary = true;
        });

    public void MapEndpoints(IEndpointRouteBuilder endpoints, HostRoles roles)
    {
        if (!roles.Has(HostRole.Api))
        {
            return;
        }

        var channels = endpoints.MapApiGroup("channels");
        channels.MapPost("/", CreateChannelEndpoint.HandleAsync).Validate<CreateChannelRequest>().WithName("CreateChannel")
            .WithSummary("Create a channel")
            .WithDescription("A provider account to send through. credentials.provider chooses the adapter where a channel type has several (see GET /v1/channels/adapters); a (channel_type, provider) without an adapter is a 422 naming the available ones. Unless verify=false the credentials are checked with the provider and its webhook registered where the provider allows; the answer masks secrets.")
            .ProducesData<ChannelResponse>(StatusCodes.Status201Created)
            .WithRequestExample($$$"""{"name":"Support bot","channel_type":"{{{Platform.ChannelTypes.Telegram}}}","credentials":{"bot_token":"123456789:AAsimulated_token_for_local_runs","api_base_url":"http://127.0.0.1:5090"}}""");
        channels.MapGet("/", ListChannelsEndpoint.HandleAsync).WithName("ListChannels")
            .WithSummary("List channels")
            .WithDescription("The account's channels, credentials masked.")
            .ProducesList<ChannelResponse>(ListChannelsEndpoint.Definition.Describe());
        channels.MapGet("/adapters", (ChannelAdapterRegistry registry) => ApiResults.Ok(registry.List())).WithName("ListChannelAdapters")
            .WithSummary("List the channel adapters")
            .WithDescription("Each (channel type, provider) this instance can send through, with the credential fields it needs; a channel can only be created, enabled and sent to with one of these.")
            .ProducesData<IReadOnlyList<AdapterDescriptor>>();
        channels.MapGet("/{id:guid}", GetChannelEndpoint.HandleAsync).WithName("GetChannel")
            .WithSummary("Get a channel")
            .WithDescription("One channel, credentials masked, with its current rate-limit usage.")
            .ProducesData<ChannelResponse>();
        channels.MapPatch("/{id:guid}", UpdateChannelEndpoint.HandleAsync).Validate<UpdateChannelRequest>().WithName("UpdateChannel")
            .WithSummary("Update a channel")
            .WithDescription("Changes the given fields; omitted fields stay. New credentials are verified like on create; enabling a channel whose adapter is missing is a 422. Removing a generated credential (a whatsapp or messenger verify_token, with \"verify_token\": \"\") generates a new one, shown once in generated_credentials.")
            .ProducesData<ChannelResponse>();
        channels.MapDelete("/{id:guid}", DeleteChannelEndpoint.HandleAsync).WithName("DeleteChannel")
            .WithSummary("Delete a channel")
            .WithDescription("Removes the channel; its messages stay.")
            .ProducesDeleted();
        channels.MapGet("/{id:guid}/templates", Channels.Templates.ChannelTemplatesEndpoints.ListAsync).WithName("ListChannelTemplates")
            .WithSummary("List a channel's provider templates")
            .WithDescription("The message templates last synced from the provider account (a WhatsApp Business Account's templates: name, language, category, status, components, synced_at); empty before the first sync.")
            .ProducesData<List<Channels.Templates.ChannelTemplateResponse>>();
        channels.MapPost("/{id:guid}/templates/sync", Channels.Templates.ChannelTemplatesEndpoints.SyncAsync).WithName("SyncChannelTemplates")
            .WithSummary("Sync a channel's provider templates")
            .WithDescription("Fetches every page of the provider's template list now and replaces the stored list in one transaction; a channel whose provider keeps no templates is a 409, a provider failure a 502.")
            .ProducesData<List<Channels.Templates.ChannelTemplateResponse>>();
    }
}
