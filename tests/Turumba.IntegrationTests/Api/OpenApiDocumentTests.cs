using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Turumba.IntegrationTests.Api;

/// <summary>
/// /openapi/v1.json is the API's contract: it parses cleanly with Microsoft.OpenApi, describes every
/// mapped route and nothing else, and every operation says what it does and how it is authenticated.
/// </summary>
[TestFixture]
public sealed partial class OpenApiDocumentTests
{
    /// <summary>Routes that are deliberately not API operations, each with its reason.</summary>
    private static readonly Dictionary<string, string> Undocumented = new(StringComparer.Ordinal)
    {
        ["GET /openapi/{documentName}.json"] = "the document itself",
        ["GET /health/live"] = "probe, documented in docs/operations.md",
        ["GET /health/ready"] = "probe, documented in docs/operations.md",
        ["GET /metrics"] = "Prometheus scrape, documented in docs/operations.md",
    };

    private static OpenApiDocument? _document;
    private static string _json = string.Empty;

    [OneTimeSetUp]
    public async Task LoadAsync()
    {
        using var client = TestServices.App.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.That(response.IsSuccessStatusCode, Is.True, $"GET /openapi/v1.json answered {(int)response.StatusCode}");
        _json = await response.Content.ReadAsStringAsync();
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "turumba-openapi.json"), _json);

        var read = OpenApiDocument.Parse(_json, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.That(read.Diagnostic?.Errors, Is.Empty, "reader errors: " + string.Join("; ", read.Diagnostic?.Errors.Select(e => $"{e.Pointer}: {e.Message}") ?? []));
        Assert.That(read.Diagnostic?.SpecificationVersion, Is.EqualTo(OpenApiSpecVersion.OpenApi3_1), "ASP.NET Core 10 writes OpenAPI 3.1");
        _document = read.Document;
    }

    private static OpenApiDocument Document => _document ?? throw new InvalidOperationException("The document did not load.");

    [Test]
    public void The_document_passes_the_readers_validation_rules()
    {
        var errors = Document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? [];
        Assert.That(errors.Select(e => $"{e.Pointer}: {e.Message}"), Is.Empty);
    }

    [Test]
    public void Every_mapped_route_is_described_and_every_described_route_exists()
    {
        var mapped = MappedRoutes().Keys.ToHashSet(StringComparer.Ordinal);
        var described = Operations().Select(o => o.Route).ToHashSet(StringComparer.Ordinal);

        var missing = mapped.Except(described).Except(Undocumented.Keys).Order().ToList();
        var extra = described.Except(mapped).Order().ToList();
        var staleExclusions = Undocumented.Keys.Except(mapped).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(missing, Is.Empty, "mapped but not in /openapi/v1.json (add API metadata or, for a non-API route, list it in Undocumented): " + string.Join(", ", missing));
            Assert.That(extra, Is.Empty, "described but not mapped: " + string.Join(", ", extra));
            Assert.That(staleExclusions, Is.Empty, "listed as undocumented but no longer mapped: " + string.Join(", ", staleExclusions));
        });
    }

    [Test]
    public void Every_operation_has_a_summary_a_description_and_a_described_success_response()
    {
        var problems = new List<string>();
        foreach (var (route, operation) in Operations())
        {
            if (string.IsNullOrWhiteSpace(operation.Summary))
            {
                problems.Add($"{route}: no summary (.WithSummary)");
            }

            if (string.IsNullOrWhiteSpace(operation.Description))
            {
                problems.Add($"{route}: no description (.WithDescription)");
            }

            var success = (operation.Responses ?? []).Where(r => r.Key.StartsWith('2')).ToList();
            if (success.Count == 0)
            {
                problems.Add($"{route}: no 2xx response (.ProducesData/.ProducesList/.ProducesDeleted)");
            }
            else if (success.Any(r => r.Key != "204" && r.Value.Content?.Values.Any(c => c.Schema is not null) != true))
            {
                problems.Add($"{route}: a 2xx response without a schema");
            }

            if (!(operation.Responses ?? []).Any(r => r.Key == "400" && r.Value.Content?.ContainsKey("application/json") == true))
            {
                problems.Add($"{route}: no error envelope for 400");
            }
        }

        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    [Test]
    public void Secured_operations_declare_the_api_key_scheme_and_anonymous_ones_do_not()
    {
        var secured = MappedRoutes();
        var schemes = Document.Components?.SecuritySchemes ?? new Dictionary<string, IOpenApiSecurityScheme>();
        Assert.That(schemes.TryGetValue("ApiKey", out var apiKey), Is.True, "no ApiKey security scheme");
        Assert.That(apiKey, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(apiKey!.Type, Is.EqualTo(SecuritySchemeType.ApiKey));
            Assert.That(apiKey.In, Is.EqualTo(ParameterLocation.Header));
            Assert.That(apiKey.Name, Is.EqualTo("X-Api-Key"));
            Assert.That(schemes.ContainsKey("Bearer"), Is.True, "no Bearer security scheme");
        });

        var problems = new List<string>();
        foreach (var (route, operation) in Operations())
        {
            var declared = (operation.Security ?? []).SelectMany(r => r.Keys).Select(k => k.Reference.Id).ToHashSet();
            var requiresKey = secured.TryGetValue(route, out var needs) && needs;
            if (requiresKey && !declared.Contains("ApiKey"))
            {
                problems.Add($"{route}: requires an API key but declares no ApiKey security");
            }
            else if (!requiresKey && declared.Count > 0)
            {
                problems.Add($"{route}: anonymous but declares security");
            }
        }

        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    [Test]
    public void List_operations_describe_their_filters_sorts_and_paging()
    {
        var lists = Operations().Where(o => o.Route.StartsWith("GET ", StringComparison.Ordinal)
            && o.Operation.Responses?.TryGetValue("200", out var ok) == true
            && ok.Content?.Values.Any(c => c.Schema is OpenApiSchemaReference r && r.Reference.Id?.StartsWith("ApiListResponseOf", StringComparison.Ordinal) == true) == true).ToList();

        Assert.That(lists.Select(l => l.Route), Does.Contain("GET /v1/messages").And.Contain("GET /v1/contacts"));
        var problems = new List<string>();
        foreach (var (route, operation) in lists)
        {
            var names = (operation.Parameters ?? []).Select(p => p.Name).ToList();
            // Every list pages; the members list takes no filter or sort, the resource lists do.
            var expected = route.EndsWith("/members", StringComparison.Ordinal) ? new[] { "skip", "limit" } : new[] { "filter", "sort", "skip", "limit" };
            problems.AddRange(expected.Where(n => !names.Contains(n)).Select(n => $"{route}: no '{n}' parameter"));
        }

        var messages = lists.Single(l => l.Route == "GET /v1/messages").Operation.Parameters!.Single(p => p.Name == "filter");
        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty, string.Join("\n", problems));
            Assert.That(messages.Description, Does.Contain("`status`").And.Contain("`created_at` (date-time)"));
        });
    }

    [Test]
    public void Schemas_carry_formats_enums_required_members_and_examples()
    {
        var send = Operation("POST /v1/messages");
        var body = send.RequestBody?.Content?["application/json"];
        var request = body?.Schema;
        var created = send.Responses?["201"].Content?["application/json"].Schema;
        Assert.Multiple(() =>
        {
            Assert.That(body?.Example?.ToJsonString(), Does.Contain("message_body"), "the send has the README's example");
            Assert.That(request?.Required, Does.Contain("channel_id").And.Not.Contain("contact_id"), "required follows the validator");
            Assert.That(request?.Properties?["channel_id"].Type, Is.EqualTo(JsonSchemaType.String), "a required member is not nullable");
            Assert.That(request?.Properties?["delivery_address"].Type, Is.EqualTo(JsonSchemaType.String | JsonSchemaType.Null));
            Assert.That(request?.Properties?["channel_id"].Format, Is.EqualTo("uuid"));
            Assert.That(created?.Properties?["data"].Properties?["created_at"].Format, Is.EqualTo("date-time"));
            Assert.That(created?.Properties?["data"].Properties?["status"].Enum?.Select(e => e.ToString()), Does.Contain("queued"));
            Assert.That(send.Parameters?.Select(p => p.Name), Does.Contain("Idempotency-Key"));
            Assert.That(send.Responses?.Keys, Does.Contain("422").And.Contain("401").And.Contain("409"));
        });

        var schedule = Operation("POST /v1/scheduled-messages").RequestBody?.Content?["application/json"].Schema;
        Assert.That(schedule?.Required ?? new HashSet<string>(), Is.Empty, "a body checked in its endpoint has no member the schema calls required when it may be null");

        var webhook = Operation("POST /webhooks/{channelType}/{channelId}");
        Assert.That(webhook.Parameters?.Select(p => p.Name), Does.Contain("X-Twilio-Signature").And.Contain("X-Hub-Signature-256").And.Contain("X-Telegram-Bot-Api-Secret-Token").And.Contain("token"),
            "each adapter's webhook authentication is described");
    }

    [Test]
    public void Phone_numbers_are_described_as_E164()
    {
        const string pattern = @"^\+[1-9][0-9]{1,14}$";
        var contact = Operation("GET /v1/contacts/{id}").Responses?["200"].Content?["application/json"].Schema?.Properties?["data"].Properties?["phone"];
        var create = Operation("POST /v1/contacts").RequestBody?.Content?["application/json"].Schema?.Properties?["phone"];
        var send = Operation("POST /v1/messages");
        var sentTo = send.RequestBody?.Content?["application/json"].Schema?.Properties?["delivery_address"];
        var storedTo = send.Responses?["201"].Content?["application/json"].Schema?.Properties?["data"].Properties?["delivery_address"];
        Assert.Multiple(() =>
        {
            Assert.That(contact?.Format, Is.EqualTo("e164"), "a contact's phone in answers");
            Assert.That(contact?.Pattern, Is.EqualTo(pattern), "answers hold only normalised numbers");
            Assert.That(create?.Format, Is.EqualTo("e164"), "a contact's phone in requests");
            Assert.That(create?.Pattern, Is.Null, "a request may write spaces or 00, which are normalised: no pattern the endpoint does not enforce");
            Assert.That(create?.Description, Does.Contain("E.164").And.Contain("normalised"));
            Assert.That(sentTo?.Description, Does.Contain("E.164").And.Contain("sms, smpp and whatsapp").And.Contain("normalised"));
            Assert.That(storedTo?.Description, Does.Contain("E.164").And.Not.Contain("normalised"));
        });
        Assert.That(Regex.IsMatch("+251911234567", contact!.Pattern!), Is.True);
        Assert.That(Regex.IsMatch("0911234567", contact.Pattern!), Is.False);
    }

    private static OpenApiOperation Operation(string route) =>
        Operations().SingleOrDefault(o => o.Route == route).Operation ?? throw new AssertionException($"{route} is not in the document");

    private static List<(string Route, OpenApiOperation Operation)> Operations() =>
        (Document.Paths ?? []).SelectMany(path => (path.Value.Operations ?? []).Select(op => ($"{op.Key.Method.ToUpperInvariant()} {path.Key}", op.Value))).ToList();

    /// <summary>"METHOD /path/{param}" for each routed endpoint, and whether it requires an API key.</summary>
    private static Dictionary<string, bool> MappedRoutes()
    {
        var routes = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var source in TestServices.App.Services.GetServices<EndpointDataSource>())
        {
            foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
            {
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
                var path = Constraint().Replace(endpoint.RoutePattern.RawText ?? string.Empty, "{$1}").TrimEnd('/');
                path = path.StartsWith('/') ? path : "/" + path;
                var secured = endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;
                foreach (var method in methods)
                {
                    routes[$"{method} {path}"] = secured;
                }
            }
        }

        return routes;
    }

    [GeneratedRegex(@"\{([A-Za-z_]+)(:[^}]*)?\}")]
    private static partial Regex Constraint();
}
