using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Groups.FanOut;
using Turumba.Groups.GroupMessages;
using Turumba.Groups.GroupMessages.Create;
using Turumba.Groups.GroupMessages.Delete;
using Turumba.Groups.GroupMessages.Estimate;
using Turumba.Groups.GroupMessages.Get;
using Turumba.Groups.GroupMessages.List;
using Turumba.Groups.GroupMessages.Saga;
using Turumba.Groups.GroupMessages.Update;
using Turumba.Groups.Progress;
using Turumba.Groups.Saga;
using Turumba.Platform.Api;
using Turumba.Platform.Api.OpenApi;
using Turumba.Platform.Api.Idempotency;
using Turumba.Platform.Hosting;
using Turumba.Outbox.Sagas;
using Turumba.Platform.Persistence;
using Turumba.Platform.Modules;

namespace Turumba.Groups;

/// <summary>Group sends: one message to the members of contact groups, fanned out per contact.</summary>
public sealed class GroupsModule : ITurumbaModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, HostRoles roles)
    {
        services.AddValidatorsFromAssemblyContaining<GroupsModule>(includeInternalTypes: true);
        services.AddSingleton<GroupProgressCounters>();
        services.AddScoped<GroupSends>();
        services.AddScoped<IGroupSends>(sp => sp.GetRequiredService<GroupSends>());
        services.AddOptions<FanOutOptions>().BindConfiguration(FanOutOptions.Section)
            .Validate(o => o.FanOutPageSize is >= 1 and <= 10_000 && o.DispatchBatchSize is >= 1 and <= 1_000 && o.RestartQueuedAfter > TimeSpan.Zero,
                $"{FanOutOptions.Section}: FanOutPageSize must be 1–10000, DispatchBatchSize 1–1000 and RestartQueuedAfter positive.")
            .ValidateOnStart();
        if (roles.Has(HostRole.Groups))
        {
            services.AddHostedService<GroupProgressService>();
        }
    }

    public void ConfigureModel(ModelBuilder modelBuilder)
    {
        GroupMessagesModel.Configure(modelBuilder);
        GroupSendStateModel.Configure(modelBuilder);
    }

    public void AddConsumers(IBusRegistrationConfigurator bus, HostRoles roles)
    {
        if (roles.Has(HostRole.Groups))
        {
            bus.AddConsumer<GroupFanOutConsumer, GroupFanOutConsumerDefinition>();
            bus.AddConsumer<GroupProgressConsumer, GroupProgressConsumerDefinition>();
            bus.AddSagaStateMachine<GroupSendStateMachine, GroupSendState, GroupSendSagaDefinition>()
                .TurumbaEntityFrameworkRepository<GroupSendState, TurumbaDbContext>();
        }
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints, HostRoles roles)
    {
        if (!roles.Has(HostRole.Api))
        {
            return;
        }

        var groups = endpoints.MapApiGroup("group-messages");
        groups.MapPost("/", CreateGroupMessageEndpoint.HandleAsync).Validate<CreateGroupMessageRequest>().Idempotent().WithName("CreateGroupMessage")
            .WithSummary("Create a group send")
            .WithDescription("A message to every contact of the given contact groups (each contact once) over one channel. status draft keeps it for editing; status queued starts the fan-out at once, tracked by the group send saga. Suppressed and unreachable contacts are counted, not sent to. A channel whose type and provider have no adapter is a 422.")
            .ProducesData<GroupMessageResponse>(StatusCodes.Status201Created)
            .WithRequestExample("""{"channel_id":"3f1c9a52-7a0e-4c1b-9d55-0c2f5e8b7a11","contact_group_ids":["5a7b9c1d-2e3f-4a5b-8c6d-7e8f9a0b1c33"],"message_body":"Selam {FIRST_NAME}, the shop opens at 9.","status":"queued"}""");
        groups.MapGet("/", ListGroupMessagesEndpoint.HandleAsync).WithName("ListGroupMessages")
            .WithSummary("List group sends")
            .WithDescription("The account's group sends with their progress counters.")
            .ProducesList<GroupMessageResponse>(ListGroupMessagesEndpoint.Definition.Describe());
        groups.MapGet("/{id:guid}", GetGroupMessageEndpoint.HandleAsync).WithName("GetGroupMessage")
            .WithSummary("Get a group send")
            .WithDescription("One group send: status and the sent, delivered, failed and skipped counts.")
            .ProducesData<GroupMessageResponse>();
        groups.MapPatch("/{id:guid}", UpdateGroupMessageEndpoint.HandleAsync).Validate<UpdateGroupMessageRequest>().WithName("UpdateGroupMessage")
            .WithSummary("Edit, queue or cancel a group send")
            .WithDescription("A draft can be edited and queued (status queued); a queued or running send can be cancelled (status cancelled): messages not yet handed to a provider are cancelled.")
            .ProducesData<GroupMessageResponse>();
        groups.MapDelete("/{id:guid}", DeleteGroupMessageEndpoint.HandleAsync).WithName("DeleteGroupMessage")
            .WithSummary("Delete a group send")
            .WithDescription("Deletes a draft or a finished send; its messages stay. A running send is a 409: cancel it first.")
            .ProducesDeleted()
            .ProducesError(StatusCodes.Status409Conflict, "conflict: the group send is running; cancel it before deleting it.");
        groups.MapGet("/{id:guid}/saga", GetGroupSendSagaEndpoint.HandleAsync).WithName("GetGroupSendSaga")
            .WithSummary("Get a group send's saga")
            .WithDescription("The state machine behind a queued group send: its state, counters, fan-out pages and recent events (progress reports collapse into one updating entry).")
            .ProducesData<GroupSendSagaResponse>();
        groups.MapPost("/{id:guid}/estimate", EstimateGroupMessageEndpoint.HandleAsync).WithName("EstimateGroupMessage")
            .WithSummary("Estimate a group send")
            .WithDescription("Counts what the send would do without sending: recipients, those skipped (suppressed, no address), on SMS channel types the segments and cost, and on channels with a customer-service window (whatsapp, messenger) customer_window: how many would go free-form, as the linked approved WhatsApp template, or fail outside_customer_service_window, if sent now.")
            .ProducesData<GroupMessageEstimate>();
    }
}
