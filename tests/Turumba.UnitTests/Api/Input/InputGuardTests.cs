using System.Text.Json;
using System.Text.Json.Nodes;
using Turumba.Platform.Api;
using Turumba.Platform.Api.Input;

namespace Turumba.UnitTests.Api.Input;

[TestFixture]
public sealed class InputGuardTests
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    private sealed record Probe(string? Name, Dictionary<string, string>? Values, JsonObject? Metadata, List<string>? Tags);

    [TestCase("""{"name":"a\u0000b"}""", "name")]
    [TestCase("""{"tags":["ok","b\u0000"]}""", "tags[1]")]
    [TestCase("""{"values":{"k":"v\u0000"}}""", "values.k")]
    [TestCase("""{"values":{"k":null}}""", "values.k")]
    [TestCase("""{"values":{"k":1}}""", "values.k")]
    [TestCase("""{"values":{"name":"a","Name":"b"}}""", "values")]
    [TestCase("""{"values":{"k":"a","k":"b"}}""", "values")]
    [TestCase("""{"metadata":{"k":null}}""", "metadata.k")]
    [TestCase("""{"metadata":{"a":[{"b":"\u0000"}]}}""", "metadata.a[0].b")]
    public void Refused_input_names_its_field(string json, string field)
    {
        var refused = Assert.Throws<JsonInputException>(() => JsonSerializer.Deserialize<Probe>(json, Options));

        Assert.That(refused!.Field, Is.EqualTo(field));
    }

    [Test]
    public void Accepted_input_reads_as_before()
    {
        var probe = JsonSerializer.Deserialize<Probe>("""{"name":"é","values":{"a":"1","b":""},"metadata":{"x":{"y":null}},"tags":[]}""", Options)!;

        Assert.Multiple(() =>
        {
            Assert.That(probe.Name, Is.EqualTo("é"));
            Assert.That(probe.Values, Is.EqualTo(new Dictionary<string, string> { ["a"] = "1", ["b"] = "" }));
            Assert.That(probe.Metadata!["x"]!["y"], Is.Null, "nulls below the top of metadata are the caller's business");
            Assert.That(JsonSerializer.Serialize(probe, Options), Does.Contain("\"values\":{\"a\":\"1\",\"b\":\"\"}"));
        });
    }

    [Test]
    public void A_map_over_64_KB_is_refused_and_one_just_under_is_not()
    {
        var under = $$$"""{"values":{"k":"{{{new string('x', InputLimits.MaxObjectBytes - 20)}}}"}}""";
        var over = $$$"""{"values":{"k":"{{{new string('x', InputLimits.MaxObjectBytes)}}}"}}""";

        Assert.Multiple(() =>
        {
            Assert.That(JsonSerializer.Deserialize<Probe>(under, Options)!.Values, Has.Count.EqualTo(1));
            Assert.That(Assert.Throws<JsonInputException>(() => JsonSerializer.Deserialize<Probe>(over, Options))!.Reason, Does.Contain("64 KB"));
        });
    }

    [Test]
    public void Case_collisions_are_every_key_sharing_a_case_insensitive_form()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CaseCollisions.Find(["name", "city", "NAME", "Name"]), Is.EqualTo(new[] { "name", "NAME", "Name" }));
            Assert.That(CaseCollisions.Find(["name", "city"]), Is.Empty);
        });
    }

    [TestCase("$.channel_id", typeof(Guid?))]
    [TestCase("$.contact_ids[3]", typeof(Guid))]
    [TestCase("$.values.anything", typeof(string))]
    [TestCase("$.metadata.a", typeof(JsonNode))]
    [TestCase("$.nothing_here", null)]
    public void Type_at_a_path_follows_properties_items_and_map_values(string path, Type? expected)
    {
        Assert.That(BadRequestDescriber.TypeAt(typeof(Shape), path, Options), Is.EqualTo(expected));
    }

    [TestCase(typeof(Guid), "a UUID")]
    [TestCase(typeof(int?), "an integer")]
    [TestCase(typeof(bool), "true or false")]
    [TestCase(typeof(List<Guid>), "an array (each item a UUID")]
    [TestCase(typeof(Dictionary<string, string>), "an object whose values are strings")]
    [TestCase(typeof(JsonObject), "an object")]
    [TestCase(typeof(DayOfWeek), "one of \"sunday\"")]
    public void Types_are_described_in_JSON_terms(Type type, string expected) =>
        Assert.That(JsonTypeNames.Describe(type), Does.StartWith(expected));

    [Test]
    public void Binding_failures_name_the_parameter_not_its_type()
    {
        var message = BadRequestDescriber.DescribeBinding("Failed to bind parameter \"Nullable<bool> verify\" from \"maybe\".");

        Assert.That(message, Is.EqualTo("Parameter 'verify' must be true or false; got 'maybe'."));
    }

    private sealed record Shape(Guid? ChannelId, List<Guid> ContactIds, Dictionary<string, string> Values, JsonObject Metadata);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiServiceCollectionExtensions.ConfigureJson(options);
        ApiServiceCollectionExtensions.AddInputGuards(options);
        return options;
    }
}
