using Turumba.Messaging.Messages;

namespace Turumba.UnitTests.Messaging;

[TestFixture]
public sealed class MessageIdsTests
{
    [Test]
    public void A_uuid_v7_carries_its_creation_millisecond()
    {
        var at = new DateTimeOffset(2026, 11, 29, 10, 30, 15, 123, TimeSpan.Zero);

        Assert.That(MessageIds.CreatedAround(Guid.CreateVersion7(at)), Is.EqualTo(at));
    }

    [Test]
    public void Other_versions_give_no_window()
    {
        Assert.That(MessageIds.CreatedWindow(Guid.NewGuid()), Is.Null);
    }
}
