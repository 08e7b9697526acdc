using Turumba.Messaging;
using Turumba.Messaging.Messages;

namespace Turumba.UnitTests.Messaging;

/// <summary>The one statement of how far along a message is, which the report statement is built from.</summary>
[TestFixture]
public sealed class MessageStatusOrderTests
{
    [Test]
    public void Every_status_has_a_rank_in_the_sql_too()
    {
        var sql = MessageStatusOrder.SqlRank("m.status");

        Assert.Multiple(() =>
        {
            foreach (var status in Enum.GetValues<MessageStatus>())
            {
                Assert.That(() => MessageStatusOrder.Rank(status), Throws.Nothing, status.ToString());
                Assert.That(sql, Does.Contain($"when '{Turumba.Platform.EnumNames.ToSnakeCase(status)}' then {MessageStatusOrder.Rank(status)}"));
            }
        });
    }

    [Test]
    public void Reports_move_forward_only_and_a_failure_counts_only_before_delivery()
    {
        Assert.Multiple(() =>
        {
            Assert.That(MessageStatusOrder.Rank(MessageStatus.Sent), Is.GreaterThan(MessageStatusOrder.Rank(MessageStatus.Sending)));
            Assert.That(MessageStatusOrder.Rank(MessageStatus.Delivered), Is.GreaterThan(MessageStatusOrder.Rank(MessageStatus.Sent)));
            Assert.That(MessageStatusOrder.Rank(MessageStatus.Read), Is.GreaterThan(MessageStatusOrder.Rank(MessageStatus.Delivered)));
            Assert.That(MessageStatusOrder.Rank(MessageStatus.Failed), Is.EqualTo(MessageStatusOrder.Rank(MessageStatus.Delivered)), "a failure after delivery changes nothing");
            Assert.That(MessageStatusOrder.Rank(MessageStatus.Cancelled), Is.GreaterThan(MessageStatusOrder.Rank(MessageStatus.Read)), "nothing moves a cancelled message");
        });
    }
}
