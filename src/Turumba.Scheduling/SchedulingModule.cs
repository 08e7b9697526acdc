using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Platform.Api;
using Turumba.Platform.Api.Idempotency;
using Turumba.Platform.Hosting;
using Turumba.Platform.Modules;
using Turumba.Scheduling.Outcomes;
using Turumba.Scheduling.ScheduledMessages;
using Turumba.Scheduling.ScheduledMessages.Create;
using Turumba.Scheduling.ScheduledMessages.Delete;
using Turumba.Scheduling.ScheduledMessages.Get;
using Turumba.Scheduling.ScheduledMessages.List;
using Turumba.Scheduling.ScheduledMessages.Upcoming;
using Turumba.Scheduling.ScheduledMessages.Update;
using Turumba.Scheduling.Trigger;

namespace Turumba.Scheduling;

/// <summary>Scheduled and recurring sends: the schedules API and the trigger that fires each run once.</summary>
public sealed class SchedulingModule : ITurumbaModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, HostRoles roles)
    {
        services.AddValidatorsFromAssemblyContaining<SchedulingModule>(includeInternalTypes: true);
        services.AddScoped<ScheduleReferences>();
        services.AddSingleton<ScheduleTrigger>();
        services.AddSingleton<ScheduleWakeSignal>();
        services.AddSingleton<ScheduleOutcomes>();
        services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.Section)
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.BatchSize is >= 1 and <= 10_000 && o.Workers is >= 1 and <= 16,
                $"{SchedulingOptions.Section}: PollInterval must be positive, BatchSize 1–10000 and Workers 1–16.")
            .ValidateOnStart();
        if (roles.Has(HostRole.Scheduling))
        {
            services.AddHostedService<ScheduleNotificationListener>();
            services.AddHostedService<SchedulingTriggerService>();
        }
    }

    public void AddConsumers(IBusRegistrationConfigurator bus, HostRoles roles)
    {
        if (roles.Has(HostRole.Scheduling))
        {
            bus.AddConsumer<ScheduleMessageOutcomeConsumer, ScheduleMessageOutcomeConsumerDefinition>();
            bus.AddConsumer<ScheduleGroupOutcomeConsumer, ScheduleGroupOutcomeConsumerDefinition>();
        }
    }

    public void ConfigureModel(ModelBuilder modelBuilder) => ScheduledMessagesModel.Configure(modelBuilder);

    public void MapEndpoints(IEndpointRouteBuilder endpoints, HostRoles roles)
    {
        if (!roles.Has(HostRole.Api))
        {
            return;
        }

        var schedules = endpoints.MapApiGroup("scheduled-messages");
        schedules.MapPost("/", CreateScheduledMessageEndpoint.HandleAsync).Idempotent().WithName("CreateScheduledMessage");
        schedules.MapGet("/", ListScheduledMessagesEndpoint.HandleAsync).WithName("ListScheduledMessages");
        schedules.MapGet("/{id:guid}", GetScheduledMessageEndpoint.HandleAsync).WithName("GetScheduledMessage");
        schedules.MapPatch("/{id:guid}", UpdateScheduledMessageEndpoint.HandleAsync).WithName("UpdateScheduledMessage");
        schedules.MapDelete("/{id:guid}", DeleteScheduledMessageEndpoint.HandleAsync).WithName("DeleteScheduledMessage");
        schedules.MapGet("/{id:guid}/occurrences", ListOccurrencesEndpoint.HandleAsync).WithName("ListScheduledMessageOccurrences");
    }
}
