using MassTransit;
using Turumba.Contracts;
using Turumba.Platform.Hosting;

namespace Turumba.Scheduling.Outcomes;

/// <summary>
/// Queue <c>scheduled_message_processing</c>: the status events of single messages, in batches. A
/// message that leaves <c>queued</c>/<c>sending</c> for good ends its schedule's run: sent, delivered
/// or read → <c>completed</c>; failed or permanently failed → <c>failed</c> with the provider's
/// error; cancelled → <c>cancelled</c>. Messages of group sends are left to the group's own outcome.
/// </summary>
internal sealed class ScheduleMessageOutcomeConsumer(ScheduleOutcomes outcomes) : IConsumer<Batch<MessageStatusesChanged>>
{
    public Task Consume(ConsumeContext<Batch<MessageStatusesChanged>> context) =>
        outcomes.FinishMessagesAsync(Outcomes(context.Message.SelectMany(m => m.Message.Changes)), context.CancellationToken);

    public static IReadOnlyList<SendOutcome> Outcomes(IEnumerable<MessageStatusChange> changes) =>
        changes.Where(c => c.GroupMessageId is null)
            .Select(c => (c.MessageId, c.Error, Status: ScheduleStatusOf(c.Status)))
            .Where(c => c.Status is not null)
            .GroupBy(c => c.MessageId)
            .Select(g => g.First())
            .Select(c => new SendOutcome(c.MessageId, c.Status!, c.Status == "failed" ? c.Error : null))
            .ToList();

    private static string? ScheduleStatusOf(string messageStatus) => messageStatus switch
    {
        "sent" or "delivered" or "read" => "completed",
        "failed" or "permanently_failed" => "failed",
        "cancelled" => "cancelled",
        _ => null,
    };
}

internal sealed class ScheduleMessageOutcomeConsumerDefinition : ConsumerDefinition<ScheduleMessageOutcomeConsumer>
{
    public ScheduleMessageOutcomeConsumerDefinition()
    {
        EndpointName = ScheduleQueues.Processing;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ScheduleMessageOutcomeConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 200;
        consumerConfigurator.Options<BatchOptions>(batch => batch.SetMessageLimit(100).SetTimeLimit(TimeSpan.FromMilliseconds(100)).SetConcurrencyLimit(2));
        consumerConfigurator.UseMessageRetry(r =>
        {
            r.Exponential(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
            r.Handle<Exception>(TransientFailure.Is);
        });
    }
}
