using Turumba.Scheduling.ScheduledMessages;

namespace Turumba.UnitTests.Scheduling;

[TestFixture]
public sealed class ScheduleFieldsValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static readonly ScheduleFields Good = new(Guid.NewGuid(), null, "Hello", "reminder", SendType.Single, null, "12345", null,
        Now.AddHours(1), "Africa/Addis_Ababa", IsRecurring: false, null, null, ScheduledAtChanged: true);

    private static IReadOnlyList<string> ErrorsOf(ScheduleFields fields) =>
        new ScheduleFieldsValidator(new FixedClock(Now)).Validate(fields).Errors.Select(e => e.PropertyName).Distinct().ToList();

    [Test]
    public void A_complete_schedule_is_valid() => Assert.That(ErrorsOf(Good), Is.Empty);

    [Test]
    public void Each_bad_input_names_its_field()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ErrorsOf(Good with { Timezone = "Mars/Olympus" }), Is.EqualTo(new[] { "timezone" }));
            Assert.That(ErrorsOf(Good with { ScheduledAt = Now.AddSeconds(-1) }), Is.EqualTo(new[] { "scheduled_at" }));
            Assert.That(ErrorsOf(Good with { IsRecurring = true, RecurrenceRule = "fortnightly" }), Is.EqualTo(new[] { "recurrence_rule" }));
            Assert.That(ErrorsOf(Good with { IsRecurring = true }), Is.EqualTo(new[] { "recurrence_rule" }));
            Assert.That(ErrorsOf(Good with { RecurrenceRule = "daily" }), Is.EqualTo(new[] { "recurrence_rule" }));
            Assert.That(ErrorsOf(Good with { IsRecurring = true, RecurrenceRule = "daily", RecurrenceEndAt = Now }), Is.EqualTo(new[] { "recurrence_end_at" }));
            Assert.That(ErrorsOf(Good with { DeliveryAddress = null }), Is.EqualTo(new[] { "delivery_address" }));
            Assert.That(ErrorsOf(Good with { SendType = SendType.Group, DeliveryAddress = null }), Is.EqualTo(new[] { "contact_group_ids" }));
            Assert.That(ErrorsOf(Good with { TemplateId = Guid.NewGuid() }), Is.EqualTo(new[] { "message_body" }));
        });
    }

    [Test]
    public void Deliver_at_is_schedule_time_or_recipient_local_and_recipient_local_only_for_group_sends()
    {
        var group = Good with { SendType = SendType.Group, DeliveryAddress = null, ContactGroupIds = [Guid.NewGuid()] };
        Assert.Multiple(() =>
        {
            Assert.That(ErrorsOf(group with { DeliverAt = "recipient_local" }), Is.Empty);
            Assert.That(ErrorsOf(group with { DeliverAt = "schedule_time" }), Is.Empty);
            Assert.That(ErrorsOf(Good with { DeliverAt = "schedule_time" }), Is.Empty);
            Assert.That(ErrorsOf(group with { DeliverAt = "recipient" }), Is.EqualTo(new[] { "deliver_at" }));
            Assert.That(ErrorsOf(Good with { DeliverAt = "recipient_local" }), Is.EqualTo(new[] { "deliver_at" }));
        });
    }

    [Test]
    public void A_past_scheduled_at_left_unchanged_by_an_edit_is_accepted() =>
        Assert.That(ErrorsOf(Good with { ScheduledAt = Now.AddDays(-3), ScheduledAtChanged = false }), Is.Empty);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
