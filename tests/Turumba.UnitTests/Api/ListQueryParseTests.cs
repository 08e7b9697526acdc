using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Turumba.Platform.Api;
using Turumba.Platform.Api.Querying;

namespace Turumba.UnitTests.Api;

[TestFixture]
public sealed class ListQueryParseTests
{
    [Test]
    public void Defaults_without_parameters()
    {
        var query = Parse([]);

        Assert.That(query, Is.EqualTo(new ListQuery([], [], 0, ListQuery.DefaultLimit)).Using<ListQuery>(Same));
    }

    [Test]
    public void Filter_value_keeps_its_colons()
    {
        var query = Parse(new() { ["filter"] = new StringValues(["created_at:ge:2026-01-01T10:00:00Z", "status:in:a,b"]) });

        Assert.That(query.Filters, Is.EqualTo(new[]
        {
            new FilterClause("created_at", "ge", "2026-01-01T10:00:00Z"),
            new FilterClause("status", "in", "a,b"),
        }));
    }

    [Test]
    public void Sorts_may_be_repeated_or_comma_separated_and_default_to_ascending()
    {
        var query = Parse(new() { ["sort"] = new StringValues(["name,created_at:desc", "id:asc"]) });

        Assert.That(query.Sorts, Is.EqualTo(new[]
        {
            new SortClause("name", false), new SortClause("created_at", true), new SortClause("id", false),
        }));
    }

    [TestCase("limit", "0")]
    [TestCase("limit", "1001")]
    [TestCase("limit", "ten")]
    [TestCase("skip", "-5")]
    [TestCase("filter", "name:eq")]
    [TestCase("filter", ":eq:x")]
    [TestCase("sort", "name:up")]
    [TestCase("sort", "name:asc:again")]
    public void Malformed_parameter_is_a_bad_request(string name, string value)
    {
        Assert.Throws<BadRequestException>(() => Parse(new() { [name] = value }));
    }

    private static ListQuery Parse(Dictionary<string, StringValues> values) => ListQuery.Parse(new QueryCollection(values));

    private static bool Same(ListQuery a, ListQuery b) =>
        a.Skip == b.Skip && a.Limit == b.Limit && a.Filters.SequenceEqual(b.Filters) && a.Sorts.SequenceEqual(b.Sorts);
}
