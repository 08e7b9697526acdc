using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Platform.Api;
using Turumba.Platform.Api.OpenApi;
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
        schedules.MapPost("/", CreateScheduledMessageEndpoint.HandleAsync).Idempotent().WithName("CreateScheduledMessage")
            .WithSummary("Schedule a message")
            .WithDescription("A single or group send that runs once at a time or repeatedly by a recurrence rule, in the schedule's time zone (or each recipient's). Each run creates the messages as an API send would. A channel whose type and provider have no adapter is a 422.")
            .ProducesData<ScheduledMessageResponse>(StatusCodes.Status201Created);
        schedules.MapGet("/", ListScheduledMessagesEndpoint.HandleAsync).WithName("ListScheduledMessages")
            .WithSummary("List scheduled messages")
            .WithDescription("The account's schedules with their next run.")
            .ProducesList<ScheduledMessageResponse>(ListScheduledMessagesEndpoint.Definition.Describe());
        schedules.MapGet("/{id:guid}", GetScheduledMessageEndpoint.HandleAsync).WithName("GetScheduledMessage")
            .WithSummary("Get a scheduled message")
            .WithDescription("One schedule with its status, next and last run.")
            .ProducesData<ScheduledMessageResponse>();
        schedules.MapPatch("/{id:guid}", UpdateScheduledMessageEndpoint.HandleAsync).WithName("UpdateScheduledMessage")
            .WithSummary("Update, pause or resume a schedule")
            .WithDescription("Changes the given fields; omitted fields stay. The next run is recomputed.")
            .ProducesData<ScheduledMessageResponse>();
        schedules.MapDelete("/{id:guid}", DeleteScheduledMessageEndpoint.HandleAsync).WithName("DeleteScheduledMessage")
            .WithSummary("Delete a schedule")
            .WithDescription("No further runs; messages of past runs stay.")
            .ProducesDeleted();
        schedules.MapGet("/{id:guid}/occurrences", ListOccurrencesEndpoint.HandleAsync).WithName("ListScheduledMessageOccurrences")
            .WithSummary("List a schedule's next runs")
            .WithDescription("The next count (1 to 100) runs in UTC and in the schedule's zone, so a rule can be checked before it fires.")
            .ProducesData<IReadOnlyList<OccurrenceResponse>>();
    }
}
