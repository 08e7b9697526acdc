using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json;

namespace Turumba.IntegrationTests;

/// <summary>
/// What every provider's channel tests stand on: the simulator, isolated services, a host with the
/// webhook role and a public base URL (the URL providers sign and that callbacks are sent to), the
/// provider's callbacks routed into that host in-process, and the send/wait helpers.
/// </summary>
public abstract class ProviderChannelFixture
{
    protected const string PublicBaseUrl = "https://hooks.turumba.test";
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private IsolatedServices _services = null!;

    protected SimulatorHost Simulator { get; private set; } = null!;

    protected TurumbaApp App { get; private set; } = null!;

    /// <summary>The test account's API client.</summary>
    protected HttpClient Client { get; private set; } = null!;

    /// <summary>An anonymous client, as a provider calls the webhooks.</summary>
    protected HttpClient Provider { get; private set; } = null!;

    protected abstract string Name { get; }

    /// <summary>The fixture's own database, for what a test must set up below the API.</summary>
    protected string Postgres => _services.Postgres;

    /// <summary>Settings of the provider's own, added to the host's.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ProviderSettings => new Dictionary<string, string?>();

    /// <summary>Points the simulated provider's callbacks at the in-process host.</summary>
    protected abstract void RouteCallbacks(HttpMessageInvoker host);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Simulator = await SimulatorHost.StartAsync();
        _services = await IsolatedServices.CreateAsync(Name);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _services.Postgres,
            ["ConnectionStrings:RabbitMq"] = _services.RabbitMq,
            ["Turumba:Webhooks:BaseUrl"] = PublicBaseUrl,
            ["Turumba:Dispatch:RetryBaseDelay"] = "00:00:00.050",
        };
        foreach (var (key, value) in ProviderSettings)
        {
            settings[key] = value;
        }

        App = new TurumbaApp(settings: settings);
        Client = await App.CreateAccountClientAsync(Name);
        Provider = App.CreateClient();
        RouteCallbacks(new HttpMessageInvoker(App.Server.CreateHandler()));
    }

    /// <summary>After every test: no secret credential of any channel so far has reached the host's logs.</summary>
    [TearDown]
    public async Task NoSecretWasLoggedAsync() =>
        Assert.That(await LoggedSecretsAsync(), Is.Empty, "secret credentials of this fixture's channels that appeared in the host's logs");

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        Client.Dispose();
        Provider.Dispose();
        await App.DisposeAsync();
        await Simulator.DisposeAsync();
        await _services.DisposeAsync();
    }

    /// <summary>
    /// Every secret credential (the adapter's declared secrets, the generated ones, any field named like
    /// one) of every channel the fixture's tests created, searched for in everything the host logged.
    /// </summary>
    private async Task<List<string>> LoggedSecretsAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Turumba.Platform.Persistence.TurumbaDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<Turumba.Channels.Credentials.CredentialProtector>();
        var channels = await db.Set<Turumba.Channels.Channels.Channel>().IgnoreQueryFilters().ToListAsync();
        var logs = string.Join('\n', App.Logs.Lines);
        var leaked = new List<string>();
        foreach (var channel in channels)
        {
            var credentials = protector.Unprotect(channel.EncryptedCredentials);
            var masked = protector.Mask(channel.ChannelType, channel.Provider, credentials);
            foreach (var (field, value) in credentials)
            {
                if ((!masked.TryGetValue(field, out var shown) || shown != value) && value.Length >= 8 && logs.Contains(value, StringComparison.Ordinal))
                {
                    leaked.Add($"{channel.ChannelType} {field}");
                }
            }
        }

        return leaked;
    }

    protected async Task<Guid> SendAsync(Guid channel, string to, string body) =>
        await SendAsync(new { channel_id = channel, delivery_address = to, message_body = body });

    protected async Task<Guid> SendAsync(object request) =>
        (await (await Client.PostJsonAsync("/v1/messages", request)).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

    protected async Task<JsonElement> WaitForStatusAsync(Guid id, string status)
    {
        JsonElement message = default;
        await Eventually.WaitAsync(async () =>
        {
            message = (await (await Client.GetAsync($"/v1/messages/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
            return message.GetProperty("status").GetString() == status;
        }, Deadline, $"message {id} {status}");
        return message;
    }

    protected async Task<List<JsonElement>> WaitForInboundAsync(Guid channel, int count)
    {
        List<JsonElement> messages = [];
        await Eventually.WaitAsync(async () =>
        {
            var body = await (await Client.GetAsync($"/v1/messages?filter=channel_id:eq:{channel}&filter=direction:eq:inbound&sort=created_at:asc")).ExpectAsync(HttpStatusCode.OK);
            messages = body.GetProperty("data").EnumerateArray().ToList();
            return messages.Count >= count;
        }, Deadline, $"{count} inbound message(s)");
        return messages;
    }
}
