using Turumba.Platform.Api;
using Turumba.Platform.Api.Querying;

namespace Turumba.UnitTests.Api;

[TestFixture]
public sealed class FilterValueParserTests
{
    private enum Sample
    {
        PermanentlyFailed,
    }

    [Test]
    public void Converts_to_the_field_type()
    {
        var id = Guid.NewGuid();

        Assert.Multiple(() =>
        {
            Assert.That(FilterValueParser.Parse(typeof(Guid?), "id", id.ToString()), Is.EqualTo(id));
            Assert.That(FilterValueParser.Parse(typeof(int), "n", "42"), Is.EqualTo(42));
            Assert.That(FilterValueParser.Parse(typeof(bool), "b", "true"), Is.EqualTo(true));
            Assert.That(FilterValueParser.Parse(typeof(Sample), "status", "permanently_failed"), Is.EqualTo(Sample.PermanentlyFailed));
            Assert.That(FilterValueParser.Parse(typeof(DateTimeOffset), "at", "2026-03-01T12:00:00+03:00"),
                Is.EqualTo(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero)));
        });
    }

    [TestCase(typeof(Guid), "nope", "UUID")]
    [TestCase(typeof(int), "1.5", "whole number")]
    [TestCase(typeof(DateTimeOffset), "soon", "ISO 8601")]
    [TestCase(typeof(Sample), "PermanentlyFailed", "permanently_failed")]
    public void Says_what_a_field_expects(Type type, string text, string expectation)
    {
        var error = Assert.Throws<BadRequestException>(() => FilterValueParser.Parse(type, "field", text));

        Assert.That(error!.Message, Does.Contain(expectation).And.Contain("field"));
    }
}
