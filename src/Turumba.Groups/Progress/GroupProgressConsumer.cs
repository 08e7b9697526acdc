using MassTransit;
using Turumba.Contracts;
using Turumba.Messaging;
using Turumba.Platform;
using Turumba.Platform.Hosting;

namespace Turumba.Groups.Progress;

/// <summary>
/// Queue <c>group_message_progress</c>: the status events dispatch, receipts and the sending sweep
/// publish, consumed in batches, become one counter increment per group send per batch. Changes of
/// messages outside a group send, and changes that do not say which status they left (published
/// before the field existed), move nothing; the exact count from the table that finishes a send
/// does not depend on them.
/// </summary>
internal sealed class GroupProgressConsumer(GroupProgressCounters progress) : IConsumer<Batch<MessageStatusesChanged>>
{
    private static readonly Dictionary<string, MessageStatus> StatusByName =
        Enum.GetValues<MessageStatus>().ToDictionary(s => s.ToSnakeCase(), s => s, StringComparer.Ordinal);

    public Task Consume(ConsumeContext<Batch<MessageStatusesChanged>> context) =>
        progress.RecordAsync(Moves(context.Message.SelectMany(m => m.Message.Changes)));

    public static IEnumerable<GroupStatusMove> Moves(IEnumerable<MessageStatusChange> changes)
    {
        foreach (var change in changes)
        {
            if (change is { GroupMessageId: { } group, PreviousStatus: { } previous }
                && StatusByName.TryGetValue(previous, out var from) && StatusByName.TryGetValue(change.Status, out var to))
            {
                yield return new GroupStatusMove(group, from, to);
            }
        }
    }
}

internal sealed class GroupProgressConsumerDefinition : ConsumerDefinition<GroupProgressConsumer>
{
    public GroupProgressConsumerDefinition()
    {
        EndpointName = GroupQueues.Progress;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<GroupProgressConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // An event carries a whole dispatch round or receipt batch, so 100 of them are thousands of changes.
        endpointConfigurator.PrefetchCount = 200;
        consumerConfigurator.Options<BatchOptions>(batch => batch.SetMessageLimit(100).SetTimeLimit(TimeSpan.FromMilliseconds(100)).SetConcurrencyLimit(2));

        // Redis away: wait it out (about three minutes in all) rather than drop the batch into the
        // error queue. A batch lost anyway leaves its sends' pending counts high; the progress
        // service counts a send whose figures stopped moving in the table (GroupProgressService.StallAfter).
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Exponential(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
            r.Handle<Exception>(TransientFailure.Is);
        });
    }
}
