using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Messaging.Messages;
using Turumba.Messaging.Messages.Batch;
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
using Turumba.Platform.Api.OpenApi;
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
        services.AddScoped<BatchSends>();
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
            services.AddHostedService<BatchItemKeyCleanupService>();
        }

        if (roles.Has(HostRole.Status))
        {
            services.AddHostedService<Messages.Receipts.EarlyReceiptService>();
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
        BatchItemKeysModel.Configure(modelBuilder);
        Messages.Receipts.EarlyReceiptsModel.Configure(modelBuilder);
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
        messages.MapPost("/", CreateMessageEndpoint.HandleAsync).Validate<CreateMessageRequest>().Idempotent().WithName("CreateMessage")
            .WithSummary("Send a message")
            .WithDescription("Stores the message as queued (or scheduled, with scheduled_at) together with its dispatch command, in one transaction; the dispatcher then hands it to the channel's provider and records sent, delivered or failed. Address it with contact_id (the contact's address for the channel's type is used) or delivery_address (phone channels normalise it to E.164). Give message_body or template_id (rendered with the contact and custom_values). A channel whose type and provider have no adapter or a phone address that is no phone number is a 422; a suppressed address is accepted and the message fails with error code suppressed, without a provider call.")
            .ProducesData<MessageResponse>(StatusCodes.Status201Created)
            .WithRequestExample("""{"channel_id":"3f1c9a52-7a0e-4c1b-9d55-0c2f5e8b7a11","contact_id":"8d2e4b61-5c3a-4f7e-a1b2-6e9f0d3c4b22","message_body":"Selam, Abebe!"}""");
        messages.MapPost("/batch", BatchSendEndpoint.HandleAsync).Idempotent().WithName("CreateMessageBatch")
            .WithSummary("Send a batch of messages")
            .WithDescription($"Up to {BatchSendEndpoint.MaxMessages} messages in one request (body at most {BatchSendEndpoint.MaxBodyBytes / 1024 / 1024} MiB), each item with the fields of POST /v1/messages and an optional idempotency_key. All are written in one transaction with their dispatch commands. Each item is validated as a single send is and answered in order, created (id, status) or rejected (error, message, details as in the error envelope): one bad item refuses only itself. An item whose idempotency_key made a message within 24 hours is answered with that message (replayed: true) and creates nothing; the same key with a different item is rejected. A body that is not JSON, not {{\"messages\": [...]}}, an empty list or more than {BatchSendEndpoint.MaxMessages} items is refused as a whole and nothing is stored.")
            .Accepts<BatchSendRequest>("application/json")
            .ProducesData<BatchSendResponse>()
            .Produces<ApiErrorResponse>(StatusCodes.Status422UnprocessableEntity)
            .ProducesError(StatusCodes.Status413PayloadTooLarge, $"payload_too_large: the body is over {BatchSendEndpoint.MaxBodyBytes} bytes.")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(BatchSendEndpoint.MaxBodyBytes))
            .WithRequestExample("""{"messages":[{"channel_id":"3f1c9a52-7a0e-4c1b-9d55-0c2f5e8b7a11","contact_id":"8d2e4b61-5c3a-4f7e-a1b2-6e9f0d3c4b22","message_body":"Selam, Abebe!","idempotency_key":"order-1041"},{"channel_id":"3f1c9a52-7a0e-4c1b-9d55-0c2f5e8b7a11","delivery_address":"5551234","template_id":"1b7e2c40-9a3d-4e5f-8c6b-2d1a0f9e8b33","custom_values":{"order":"1042"}}]}""");
        messages.MapGet("/", ListMessagesEndpoint.HandleAsync).WithName("ListMessages")
            .WithSummary("List messages")
            .WithDescription("Outbound and inbound messages of the account, newest first unless sorted; filter by channel, contact, direction, status, group send and times.")
            .ProducesList<MessageResponse>(ListMessagesEndpoint.Definition.Describe());
        messages.MapGet("/{id:guid}", GetMessageEndpoint.HandleAsync).WithName("GetMessage")
            .WithSummary("Get a message")
            .WithDescription("One message with its delivery state; metadata.provider_message_id once the provider accepted it, error details when it failed.")
            .ProducesData<MessageResponse>();
        messages.MapPatch("/{id:guid}", UpdateMessageEndpoint.HandleAsync).WithName("UpdateMessage")
            .WithSummary("Cancel a message or merge metadata")
            .WithDescription("status may only be set to cancelled, and only while the message is queued or scheduled: exactly one of a cancel and the dispatcher's claim wins, so a message answered as cancelled is never sent. metadata keys are merged into the message's metadata. Delivery states are set by the pipeline.")
            .ProducesData<MessageResponse>();
        messages.MapDelete("/{id:guid}", DeleteMessageEndpoint.HandleAsync).WithName("DeleteMessage")
            .WithSummary("Delete a message")
            .WithDescription("Removes the message record. Deleting does not recall a message already handed to a provider; cancel a queued one with PATCH instead.")
            .ProducesDeleted();

        var templates = endpoints.MapApiGroup("templates");
        templates.MapPost("/", CreateTemplateEndpoint.HandleAsync).Validate<CreateTemplateRequest>().WithName("CreateTemplate")
            .WithSummary("Create a template")
            .WithDescription("A message body with {VARIABLE} placeholders (contact fields such as {FIRST_NAME}, or custom values), used by sends through template_id.")
            .ProducesData<TemplateResponse>(StatusCodes.Status201Created);
        templates.MapGet("/", ListTemplatesEndpoint.HandleAsync).WithName("ListTemplates")
            .WithSummary("List templates")
            .WithDescription("The account's templates.")
            .ProducesList<TemplateResponse>(ListTemplatesEndpoint.Definition.Describe());
        templates.MapGet("/{id:guid}", GetTemplateEndpoint.HandleAsync).WithName("GetTemplate")
            .WithSummary("Get a template")
            .WithDescription("One template with the variables it uses.")
            .ProducesData<TemplateResponse>();
        templates.MapPatch("/{id:guid}", UpdateTemplateEndpoint.HandleAsync).Validate<UpdateTemplateRequest>().WithName("UpdateTemplate")
            .WithSummary("Update a template")
            .WithDescription("Changes the given fields; omitted fields stay.")
            .ProducesData<TemplateResponse>();
        templates.MapDelete("/{id:guid}", DeleteTemplateEndpoint.HandleAsync).WithName("DeleteTemplate")
            .WithSummary("Delete a template")
            .WithDescription("Removes the template; messages already rendered from it keep their text.")
            .ProducesDeleted();
        templates.MapPost("/{id:guid}/preview", PreviewTemplateEndpoint.HandleAsync).WithName("PreviewTemplate")
            .WithSummary("Preview a template")
            .WithDescription("Renders the template as a send would, for a contact and custom values, without sending: the text, the variables that had no value, and for SMS channel types (sms, smpp) the encoding and segment count. With channel_id on a whatsapp or messenger channel and a contact_id, send_as says how the message would go if sent now: free_form inside the 24-hour window, template (the linked approved WhatsApp template) outside it, or fails (outside the window without one).")
            .ProducesData<PreviewTemplateResponse>();
    }
}
