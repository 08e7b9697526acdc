using Turumba.Groups.Progress;
using Turumba.Messaging;

namespace Turumba.UnitTests.Groups;

[TestFixture]
public sealed class GroupProgressCountersTests
{
    private static readonly Guid First = Guid.CreateVersion7();
    private static readonly Guid Second = Guid.CreateVersion7();

    [Test]
    public void Moves_between_buckets_net_out_per_group()
    {
        var deltas = GroupProgressCounters.Deltas(
        [
            new GroupStatusMove(First, MessageStatus.Sending, MessageStatus.Sent),
            new GroupStatusMove(First, MessageStatus.Sending, MessageStatus.Sent),
            new GroupStatusMove(First, MessageStatus.Sending, MessageStatus.PermanentlyFailed),
            new GroupStatusMove(First, MessageStatus.Sent, MessageStatus.Delivered),
            new GroupStatusMove(Second, MessageStatus.Queued, MessageStatus.Cancelled),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(deltas[First], Is.EquivalentTo(new Dictionary<string, long>
            {
                [GroupProgressCounters.Pending] = -3,
                [GroupProgressCounters.Sent] = 1,
                [GroupProgressCounters.Failed] = 1,
                [GroupProgressCounters.Delivered] = 1,
            }));
            Assert.That(deltas[Second], Is.EquivalentTo(new Dictionary<string, long>
            {
                [GroupProgressCounters.Pending] = -1,
                [GroupProgressCounters.Cancelled] = 1,
            }));
        });
    }

    [Test]
    public void Moves_within_a_bucket_change_nothing()
    {
        var deltas = GroupProgressCounters.Deltas(
        [
            new GroupStatusMove(First, MessageStatus.Queued, MessageStatus.Sending),
            new GroupStatusMove(First, MessageStatus.Delivered, MessageStatus.Read),
            new GroupStatusMove(First, MessageStatus.Failed, MessageStatus.PermanentlyFailed),
        ]);

        Assert.That(deltas, Is.Empty);
    }

    [TestCase(MessageStatus.Scheduled, GroupProgressCounters.Pending)]
    [TestCase(MessageStatus.Queued, GroupProgressCounters.Pending)]
    [TestCase(MessageStatus.Sending, GroupProgressCounters.Pending)]
    [TestCase(MessageStatus.Sent, GroupProgressCounters.Sent)]
    [TestCase(MessageStatus.Delivered, GroupProgressCounters.Delivered)]
    [TestCase(MessageStatus.Read, GroupProgressCounters.Delivered)]
    [TestCase(MessageStatus.Failed, GroupProgressCounters.Failed)]
    [TestCase(MessageStatus.PermanentlyFailed, GroupProgressCounters.Failed)]
    [TestCase(MessageStatus.Cancelled, GroupProgressCounters.Cancelled)]
    public void Every_status_has_a_bucket(MessageStatus status, string bucket) =>
        Assert.That(GroupProgressCounters.BucketOf(status), Is.EqualTo(bucket));

    [Test]
    public void Counts_from_the_table_sum_into_the_buckets() =>
        Assert.That(GroupProgressCounters.Snapshot(new Dictionary<MessageStatus, int>
        {
            [MessageStatus.Queued] = 3,
            [MessageStatus.Sending] = 2,
            [MessageStatus.Sent] = 7,
            [MessageStatus.Read] = 1,
            [MessageStatus.Delivered] = 4,
            [MessageStatus.PermanentlyFailed] = 5,
            [MessageStatus.Failed] = 1,
            [MessageStatus.Cancelled] = 9,
        }), Is.EqualTo(new GroupProgressSnapshot(5, 7, 5, 6, 9)));
}
