using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Messaging.Messages;
using Turumba.Messaging.Messages.Create;
using Turumba.Messaging.Messages.Delete;
using Turumba.Messaging.Messages.Get;
using Turumba.Messaging.Messages.Inbound;
using Turumba.Messaging.Messages.List;
using Turumba.Messaging.Messages.Partitions;
using Turumba.Messaging.Messages.Receipts;
using Turumba.Messaging.Messages.Scheduled;
using Turumba.Messaging.Messages.Store;
using Turumba.Messaging.Messages.Sweeping;
using Turumba.Messaging.Messages.Update;
using Turumba.Messaging.Templates;
using Turumba.Messaging.Templates.Create;
using Turumba.Messaging.Templates.Delete;
using Turumba.Messaging.Templates.Get;
using Turumba.Messaging.Templates.List;
using Turumba.Messaging.Templates.Preview;
using Turumba.Messaging.Templates.Update;
using Turumba.Platform.Api;
using Turumba.Platform.Api.Idempotency;
using Turumba.Platform.Hosting;
using Turumba.Platform.Modules;

namespace Turumba.Messaging;

/// <summary>
/// Messages and templates: what is sent, the texts it is rendered from, and what providers report
/// back — delivery receipts (role <c>status</c>) and contacts' replies (role <c>inbound</c>).
/// </summary>
public sealed class MessagingModule : ITurumbaModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, HostRoles roles)
    {
        services.AddValidatorsFromAssemblyContaining<MessagingModule>(includeInternalTypes: true);
        services.AddSingleton<MessageStore>();
        services.AddSingleton<IMessageStore>(sp => sp.GetRequiredService<MessageStore>());
        services.AddSingleton<ITemplateCatalog, TemplateCatalog>();
        services.AddSingleton<DeferredMessageRelease>();
        services.AddScoped<SingleSends>();
        services.AddScoped<ISingleSends>(sp => sp.GetRequiredService<SingleSends>());
        services.AddOptions<SendingSweepOptions>().BindConfiguration(SendingSweepOptions.Section)
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Interval > TimeSpan.Zero, $"{SendingSweepOptions.Section}: Timeout and Interval must be positive.")
            .ValidateOnStart();
        services.AddOptions<QueuedSweepOptions>().BindConfiguration(QueuedSweepOptions.Section)
            .Validate(o => o.Threshold > TimeSpan.Zero && o.Interval > TimeSpan.Zero && o.MaxPerSweep > 0,
                $"{QueuedSweepOptions.Section}: Threshold, Interval and MaxPerSweep must be positive.")
            .ValidateOnStart();
        if (roles.Has(HostRole.Maintenance))
        {
            services.AddHostedService<PartitionMaintenanceService>();
            services.AddHostedService<SendingSweeperService>();
            services.AddHostedService<QueuedSweeperService>();
        }

        if (roles.Has(HostRole.Scheduling))
        {
            services.AddHostedService<ScheduledMessageReleaseService>();
        }
    }

    public void ConfigureModel(ModelBuilder modelBuilder)
    {
        TemplatesModel.Configure(modelBuilder);
        MessagesModel.Configure(modelBuilder);
        Messages.Windows.CustomerWindowsModel.Configure(modelBuilder);
    }

    public void AddConsumers(IBusRegistrationConfigurator bus, HostRoles roles)
    {
        if (roles.Has(HostRole.Status))
        {
            bus.AddConsumer<StatusUpdateConsumer, StatusUpdateConsumerDefinition>();
        }

        if (roles.Has(HostRole.Inbound))
        {
            bus.AddConsumer<InboundMessageConsumer, InboundMessageConsumerDefinition>();
        }
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints, HostRoles roles)
    {
        if (!roles.Has(HostRole.Api))
        {
            return;
        }

        var messages = endpoints.MapApiGroup("messages");
        messages.MapPost("/", CreateMessageEndpoint.HandleAsync).Validate<CreateMessageRequest>().Idempotent().WithName("CreateMessage");
        messages.MapGet("/", ListMessagesEndpoint.HandleAsync).WithName("ListMessages");
        messages.MapGet("/{id:guid}", GetMessageEndpoint.HandleAsync).WithName("GetMessage");
        messages.MapPatch("/{id:guid}", UpdateMessageEndpoint.HandleAsync).WithName("UpdateMessage");
        messages.MapDelete("/{id:guid}", DeleteMessageEndpoint.HandleAsync).WithName("DeleteMessage");

        var templates = endpoints.MapApiGroup("templates");
        templates.MapPost("/", CreateTemplateEndpoint.HandleAsync).Validate<CreateTemplateRequest>().WithName("CreateTemplate");
        templates.MapGet("/", ListTemplatesEndpoint.HandleAsync).WithName("ListTemplates");
        templates.MapGet("/{id:guid}", GetTemplateEndpoint.HandleAsync).WithName("GetTemplate");
        templates.MapPatch("/{id:guid}", UpdateTemplateEndpoint.HandleAsync).Validate<UpdateTemplateRequest>().WithName("UpdateTemplate");
        templates.MapDelete("/{id:guid}", DeleteTemplateEndpoint.HandleAsync).WithName("DeleteTemplate");
        templates.MapPost("/{id:guid}/preview", PreviewTemplateEndpoint.HandleAsync).WithName("PreviewTemplate");
    }
}
