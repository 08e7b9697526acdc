using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
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
        groups.MapPost("/", CreateGroupMessageEndpoint.HandleAsync).Validate<CreateGroupMessageRequest>().Idempotent().WithName("CreateGroupMessage");
        groups.MapGet("/", ListGroupMessagesEndpoint.HandleAsync).WithName("ListGroupMessages");
        groups.MapGet("/{id:guid}", GetGroupMessageEndpoint.HandleAsync).WithName("GetGroupMessage");
        groups.MapPatch("/{id:guid}", UpdateGroupMessageEndpoint.HandleAsync).Validate<UpdateGroupMessageRequest>().WithName("UpdateGroupMessage");
        groups.MapDelete("/{id:guid}", DeleteGroupMessageEndpoint.HandleAsync).WithName("DeleteGroupMessage");
        groups.MapGet("/{id:guid}/saga", GetGroupSendSagaEndpoint.HandleAsync).WithName("GetGroupSendSaga");
        groups.MapPost("/{id:guid}/estimate", EstimateGroupMessageEndpoint.HandleAsync).WithName("EstimateGroupMessage");
    }
}
