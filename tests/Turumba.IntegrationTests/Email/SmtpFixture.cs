using System.Net;
using System.Text.Json;
using Turumba.Simulator;
using Turumba.Simulator.Smtp;

namespace Turumba.IntegrationTests.Email;

/// <summary>
/// Email channel tests against the simulator's SMTP relay (STARTTLS with its self-signed certificate
/// pinned, AUTH): each channel logs in as a user of its own, so a test tells its messages and
/// sessions apart by username. Faults are the relay's, reset before each test.
/// </summary>
public abstract class SmtpFixture : ProviderChannelFixture
{
    protected const string From = "news@turumba.test";

    protected override IReadOnlyDictionary<string, string?> ProviderSettings => new Dictionary<string, string?>
    {
        ["Turumba:Adapters:Smtp:PoolSize"] = "4",
        ["Turumba:Adapters:Smtp:RateLimitPause"] = "00:00:01",
        ["Turumba:Adapters:Smtp:Timeout"] = "00:00:10",
    };

    protected override void RouteCallbacks(HttpMessageInvoker host)
    {
    }

    [SetUp]
    public void ResetSimulator() => Simulator.Smtp.Reset();

    protected Dictionary<string, string> Credentials(string username) => new()
    {
        ["host"] = "127.0.0.1",
        ["port"] = Simulator.Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["security"] = "starttls",
        ["tls_certificate_sha256"] = Simulator.Smtp.CertificateSha256,
        ["username"] = username,
        ["password"] = "pw-" + Guid.NewGuid().ToString("N")[..10],
        ["from_address"] = From,
        ["from_name"] = "Turumba News",
        ["reply_to"] = "support@turumba.test",
    };

    protected async Task<(Guid Channel, string Username, JsonElement Body)> CreateChannelAsync(Action<Dictionary<string, string>>? change = null, int retryCount = 3)
    {
        var username = "u" + Guid.NewGuid().ToString("N")[..12];
        var credentials = Credentials(username);
        change?.Invoke(credentials);
        var channel = (await (await Client.PostJsonAsync("/v1/channels", new { name = "email " + username, channel_type = "email", retry_count = retryCount, credentials }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data");
        return (channel.GetProperty("id").GetGuid(), username, channel);
    }

    protected async Task<Guid> CreateTemplateAsync(object template) =>
        (await (await Client.PostJsonAsync("/v1/templates", template)).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

    protected async Task<Guid> CreateContactAsync(string email, string firstName) =>
        (await (await Client.PostJsonAsync("/v1/contacts", new { first_name = firstName, email })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();

    protected async Task<List<JsonElement>> SuppressionsOfAsync(string address) =>
        (await (await Client.GetAsync($"/v1/suppressions?filter=address:eq:{Uri.EscapeDataString(address)}")).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("data").EnumerateArray().ToList();

    protected SmtpMessage MessageTo(string username, string address) =>
        Simulator.Smtp.MessagesBy(username).Single(m => m.RcptTo.Contains(address));
}
