using System.Text;
using Turumba.Adapters.Telegram;

namespace Turumba.UnitTests.Channels;

/// <summary>Fixtures follow the Update examples of https://core.telegram.org/bots/webhooks#testing-your-bot-with-updates.</summary>
[TestFixture]
public sealed class TelegramUpdateParserTests
{
    [Test]
    public void Text_message_from_a_user()
    {
        const string update = """
            {"update_id":10000,
             "message":{"date":1441645532,
                        "chat":{"last_name":"Test Lastname","id":1111111,"type":"private","first_name":"Test Firstname","username":"Testusername"},
                        "message_id":1365,
                        "from":{"last_name":"Test Lastname","id":1111111,"is_bot":false,"first_name":"Test Firstname","username":"Testusername"},
                        "text":"/start"}}
            """;

        var message = TelegramUpdateParser.Parse(Encoding.UTF8.GetBytes(update)).Single();

        Assert.Multiple(() =>
        {
            Assert.That(message.EventId, Is.EqualTo("10000"));
            Assert.That(message.ProviderMessageId, Is.EqualTo("1111111:1365"));
            Assert.That(message.SenderAddress, Is.EqualTo("1111111"));
            Assert.That(message.SenderName, Is.EqualTo("Test Firstname Test Lastname"));
            Assert.That(message.Body, Is.EqualTo("/start"));
            Assert.That(message.ReceivedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1441645532)));
            Assert.That(message.Kind, Is.EqualTo("message"));
            Assert.That(message.MediaFileIds, Is.Empty);
        });
    }

    [Test]
    public void Photo_with_caption_takes_the_largest_size()
    {
        const string update = """
            {"update_id":10001,
             "message":{"date":1441645532,"chat":{"id":1111111,"type":"private","first_name":"A"},"message_id":1366,
                        "from":{"id":1111111,"is_bot":false,"first_name":"A"},
                        "photo":[{"file_id":"small","file_unique_id":"s","width":90,"height":67},{"file_id":"large","file_unique_id":"l","width":800,"height":600}],
                        "caption":"look",
                        "reply_to_message":{"message_id":1300,"date":1441645000,"chat":{"id":1111111,"type":"private"}}}}
            """;

        var message = TelegramUpdateParser.Parse(Encoding.UTF8.GetBytes(update)).Single();

        Assert.Multiple(() =>
        {
            Assert.That(message.Body, Is.EqualTo("look"));
            Assert.That(message.MediaFileIds, Is.EqualTo(new[] { "large" }));
            Assert.That(message.ReplyToProviderMessageId, Is.EqualTo("1111111:1300"));
        });
    }

    [Test]
    public void Edited_message_and_channel_post_are_read()
    {
        const string edited = """
            {"update_id":10002,"edited_message":{"date":1441645532,"edit_date":1441645600,"chat":{"id":1111111,"type":"private"},
             "message_id":1367,"from":{"id":1111111,"is_bot":false,"first_name":"A"},"text":"fixed"}}
            """;
        const string post = """
            {"update_id":10003,"channel_post":{"date":1441645532,"chat":{"id":-1001234,"type":"channel","title":"News"},"message_id":5,
             "document":{"file_id":"doc1","file_unique_id":"d","file_name":"report.pdf"}}}
            """;

        var fixedMessage = TelegramUpdateParser.Parse(Encoding.UTF8.GetBytes(edited)).Single();
        var channelPost = TelegramUpdateParser.Parse(Encoding.UTF8.GetBytes(post)).Single();

        Assert.Multiple(() =>
        {
            Assert.That(fixedMessage.Kind, Is.EqualTo("edited_message"));
            Assert.That(fixedMessage.ReceivedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1441645600)));
            Assert.That(channelPost.SenderAddress, Is.EqualTo("-1001234"));
            Assert.That(channelPost.SenderName, Is.EqualTo("News"));
            Assert.That(channelPost.Body, Is.Null);
            Assert.That(channelPost.MediaFileIds, Is.EqualTo(new[] { "doc1" }));
        });
    }

    [Test]
    public void Other_update_kinds_give_nothing()
    {
        const string update = """{"update_id":10004,"callback_query":{"id":"4382bfdwdsb323b2d9","data":"x"}}""";

        Assert.That(TelegramUpdateParser.Parse(Encoding.UTF8.GetBytes(update)), Is.Empty);
    }
}
