using Turumba.Contracts;
using Turumba.Groups.Progress;
using Turumba.Messaging;

namespace Turumba.UnitTests.Groups;

/// <summary>Which status events move a group send's counters.</summary>
[TestFixture]
public sealed class GroupProgressConsumerTests
{
    private static readonly Guid Group = Guid.CreateVersion7();
    private static readonly DateTimeOffset At = new(2026, 12, 2, 19, 0, 0, TimeSpan.Zero);

    [Test]
    public void Changes_of_group_messages_that_name_the_status_they_left_become_moves()
    {
        var moves = GroupProgressConsumer.Moves(
        [
            Change(Group, "sent", "sending"),
            Change(Group, "read", "sent"),
            Change(Group, "permanently_failed", "sending"),
        ]).ToList();

        Assert.That(moves, Is.EqualTo(new[]
        {
            new GroupStatusMove(Group, MessageStatus.Sending, MessageStatus.Sent),
            new GroupStatusMove(Group, MessageStatus.Sent, MessageStatus.Read),
            new GroupStatusMove(Group, MessageStatus.Sending, MessageStatus.PermanentlyFailed),
        }));
    }

    [Test]
    public void Single_messages_events_without_a_previous_status_and_unknown_names_move_nothing() =>
        Assert.That(GroupProgressConsumer.Moves(
        [
            Change(null, "sent", "sending"),
            Change(Group, "sent", null),
            Change(Group, "bounced", "sent"),
        ]), Is.Empty);

    private static MessageStatusChange Change(Guid? group, string status, string? previous) =>
        new(Guid.CreateVersion7(), At, Guid.NewGuid(), Guid.NewGuid(), group, status, null, null, At, previous);
}
