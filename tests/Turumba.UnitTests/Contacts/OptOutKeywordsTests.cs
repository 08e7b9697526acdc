using Turumba.Contacts.Suppressions.Signals;

namespace Turumba.UnitTests.Contacts;

[TestFixture]
public sealed class OptOutKeywordsTests
{
    [TestCase("STOP")]
    [TestCase("stop")]
    [TestCase("  Stop \n")]
    [TestCase("STOPALL")]
    [TestCase("unsubscribe")]
    [TestCase("CANCEL")]
    [TestCase("End")]
    [TestCase("quit")]
    public void Opt_out_words_alone_opt_out(string body) =>
        Assert.That(OptOutKeywords.Match(body), Is.EqualTo(OptOutKeyword.OptOut));

    [TestCase("START")]
    [TestCase("start ")]
    [TestCase("UNSTOP")]
    [TestCase("yes")]
    public void Opt_in_words_alone_opt_back_in(string body) =>
        Assert.That(OptOutKeywords.Match(body), Is.EqualTo(OptOutKeyword.OptIn));

    [TestCase("Please stop sending me these")]
    [TestCase("STOP!")]
    [TestCase("STOP STOP")]
    [TestCase("yes please")]
    [TestCase("stopping")]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase(null)]
    public void Anything_else_is_an_ordinary_reply(string? body) =>
        Assert.That(OptOutKeywords.Match(body), Is.EqualTo(OptOutKeyword.None));
}
