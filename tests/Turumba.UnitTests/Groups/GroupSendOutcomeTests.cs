using Turumba.Contracts;
using Turumba.Groups.Saga;

namespace Turumba.UnitTests.Groups;

[TestFixture]
public sealed class GroupSendOutcomeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);

    [Test]
    public void Running_until_the_fan_out_is_done_and_an_exact_count_finds_nothing_pending()
    {
        var fanningOut = new GroupSendState();
        var fannedOut = new GroupSendState { FanOutCompletedAt = Now };

        Assert.Multiple(() =>
        {
            Assert.That(GroupSendActivities.OutcomeOf(fanningOut, Report(pending: 0, sent: 10)), Is.EqualTo(Outcome.Running));
            Assert.That(GroupSendActivities.OutcomeOf(fannedOut, Report(pending: 0, sent: 10, exact: false)), Is.EqualTo(Outcome.Running), "Redis alone never ends a send");
            Assert.That(GroupSendActivities.OutcomeOf(fannedOut, Report(pending: 1, sent: 9)), Is.EqualTo(Outcome.Running));
        });
    }

    [TestCase(10, 0, "Completed")]
    [TestCase(7, 3, "PartiallyFailed")]
    [TestCase(0, 10, "Failed")]
    public void Finished_send_is_judged_by_its_failures(int sent, int failed, string expected) =>
        Assert.That(GroupSendActivities.OutcomeOf(new GroupSendState { FanOutCompletedAt = Now }, Report(pending: 0, sent: sent, failed: failed)),
            Is.EqualTo(Enum.Parse<Outcome>(expected)));

    [Test]
    public void Send_that_reached_nobody_failed() =>
        Assert.That(GroupSendActivities.OutcomeOf(new GroupSendState { FanOutCompletedAt = Now }, Report(pending: 0, recipients: 0)), Is.EqualTo(Outcome.Failed));

    [Test]
    public void Recent_events_keep_the_newest_ten()
    {
        var saga = new GroupSendState();
        for (var i = 0; i < 15; i++)
        {
            saga.Handled(i % 2 == 0 ? "fan_out_progressed" : "progressed", $"#{i}", Now.AddSeconds(i));
        }

        Assert.Multiple(() =>
        {
            Assert.That(saga.RecentEvents, Has.Count.EqualTo(GroupSendState.RecentEventLimit));
            Assert.That(saga.RecentEvents[0], Does.EndWith("|fan_out_progressed|#14"));
            Assert.That(saga.UpdatedAt, Is.EqualTo(Now.AddSeconds(14)));
        });
    }

    [Test]
    public void A_run_of_progress_reports_is_one_entry_and_keeps_the_start_visible()
    {
        var saga = new GroupSendState();
        saga.Handled("queued", "fan-out requested", Now);
        saga.Handled("fan_out_completed", "recipients=100", Now.AddSeconds(1));
        for (var i = 0; i < 30; i++)
        {
            saga.Handled("progressed", $"pending={30 - i}", Now.AddSeconds(2 + i));
        }

        saga.Handled("finished", "completed", Now.AddSeconds(40));

        Assert.Multiple(() =>
        {
            Assert.That(saga.RecentEvents.Select(e => GroupSendState.EventName(e)), Is.EqualTo(new[]
            {
                ("finished", 1), ("progressed", 30), ("fan_out_completed", 1), ("queued", 1),
            }));
            Assert.That(saga.RecentEvents[1], Does.EndWith("|pending=1"), "the latest values");
        });
    }

    private static GroupSendProgressed Report(int pending, int sent = 0, int failed = 0, int? recipients = null, bool exact = true) =>
        new(Guid.CreateVersion7(), true, recipients ?? pending + sent + failed, pending, sent, 0, failed, 0, exact, Now);
}
