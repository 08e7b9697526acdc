using Turumba.Contracts;
using Turumba.Scheduling.Outcomes;

namespace Turumba.UnitTests.Scheduling;

/// <summary>What ends a triggered schedule: its single message leaving queued/sending for good, or its group send's final count.</summary>
[TestFixture]
public sealed class ScheduleOutcomeTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static MessageStatusChange Change(Guid id, string status, Guid? group = null, string? error = null) =>
        new(id, At, Guid.NewGuid(), Guid.NewGuid(), group, status, null, error, At, "sending");

    [TestCase("sent", "completed")]
    [TestCase("delivered", "completed")]
    [TestCase("read", "completed")]
    [TestCase("failed", "failed")]
    [TestCase("permanently_failed", "failed")]
    [TestCase("cancelled", "cancelled")]
    public void A_final_message_status_ends_the_schedule(string messageStatus, string scheduleStatus)
    {
        var id = Guid.NewGuid();

        var outcome = ScheduleMessageOutcomeConsumer.Outcomes([Change(id, messageStatus, error: "chat not found")]).Single();

        Assert.Multiple(() =>
        {
            Assert.That(outcome.SendId, Is.EqualTo(id));
            Assert.That(outcome.Status, Is.EqualTo(scheduleStatus));
            Assert.That(outcome.Error, scheduleStatus == "failed" ? Is.EqualTo("chat not found") : Is.Null);
        });
    }

    [Test]
    public void Queued_sending_and_group_messages_end_nothing_and_a_message_counts_once_per_batch()
    {
        var id = Guid.NewGuid();

        var outcomes = ScheduleMessageOutcomeConsumer.Outcomes([
            Change(Guid.NewGuid(), "queued"), Change(Guid.NewGuid(), "sending"), Change(Guid.NewGuid(), "sent", group: Guid.NewGuid()),
            Change(id, "sent"), Change(id, "delivered"),
        ]);

        Assert.That(outcomes.Select(o => (o.SendId, o.Status)), Is.EqualTo(new[] { (id, "completed") }));
    }

    private static GroupSendProgressed Progress(bool fanOutDone, bool exact, int recipients, int pending, int failed) =>
        new(Guid.NewGuid(), fanOutDone, recipients, pending, recipients - pending - failed, 0, failed, 0, exact, At);

    [TestCase(false, true, 10, 0, 0, null, TestName = "Fan-out still running")]
    [TestCase(true, false, 10, 0, 0, null, TestName = "Counters from Redis only")]
    [TestCase(true, true, 10, 1, 0, null, TestName = "One message pending")]
    [TestCase(true, true, 10, 0, 0, "completed", TestName = "All sent")]
    [TestCase(true, true, 10, 0, 4, "completed", TestName = "Some failed")]
    [TestCase(true, true, 10, 0, 10, "failed", TestName = "All failed")]
    [TestCase(true, true, 0, 0, 0, "failed", TestName = "No recipients")]
    public void A_group_send_ends_its_schedule_on_an_exact_count_with_nothing_pending(
        bool fanOutDone, bool exact, int recipients, int pending, int failed, string? expected) =>
        Assert.That(ScheduleGroupOutcomeConsumer.OutcomeOf(Progress(fanOutDone, exact, recipients, pending, failed))?.Status, Is.EqualTo(expected));
}
