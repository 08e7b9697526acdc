using MassTransit;
using Turumba.Contracts;
using Turumba.Platform.Hosting;

namespace Turumba.Scheduling.Outcomes;

/// <summary>
/// Queue <c>scheduled_message_processing</c>: how group sends end, from the events the groups module
/// publishes. A send is over when an exact count after its fan-out finds nothing pending (as the
/// group-send saga decides): <c>completed</c> when any recipient got it, <c>failed</c> when none
/// did; a fan-out that could not start is <c>failed</c>, a cancelled send <c>cancelled</c>.
/// </summary>
internal sealed class ScheduleGroupOutcomeConsumer(ScheduleOutcomes outcomes)
    : IConsumer<GroupSendProgressed>, IConsumer<GroupFanOutFailed>, IConsumer<GroupSendCancelled>
{
    public Task Consume(ConsumeContext<GroupSendProgressed> context) =>
        OutcomeOf(context.Message) is { } outcome ? outcomes.FinishGroupsAsync([outcome], context.CancellationToken) : Task.CompletedTask;

    public Task Consume(ConsumeContext<GroupFanOutFailed> context) =>
        outcomes.FinishGroupsAsync([new SendOutcome(context.Message.GroupMessageId, "failed", context.Message.Reason)], context.CancellationToken);

    public Task Consume(ConsumeContext<GroupSendCancelled> context) =>
        outcomes.FinishGroupsAsync([new SendOutcome(context.Message.GroupMessageId, "cancelled", null)], context.CancellationToken);

    public static SendOutcome? OutcomeOf(GroupSendProgressed progress) =>
        !progress.FanOutCompleted || !progress.Exact || progress.Pending > 0 ? null
        : progress.Recipients > 0 && progress.Failed < progress.Recipients ? new SendOutcome(progress.GroupMessageId, "completed", null)
        : new SendOutcome(progress.GroupMessageId, "failed",
            progress.Recipients == 0 ? "The group send had no recipients." : $"All {progress.Recipients} messages of the group send failed.");
}

internal sealed class ScheduleGroupOutcomeConsumerDefinition : ConsumerDefinition<ScheduleGroupOutcomeConsumer>
{
    public ScheduleGroupOutcomeConsumerDefinition()
    {
        EndpointName = ScheduleQueues.Processing;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ScheduleGroupOutcomeConsumer> consumerConfigurator, IRegistrationContext context) =>
        consumerConfigurator.UseMessageRetry(r =>
        {
            r.Exponential(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
            r.Handle<Exception>(TransientFailure.Is);
        });
}
