using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Contacts;

namespace Turumba.IntegrationTests.Contacts;

/// <summary>The Account API directory client against a local stub speaking the documented contract.</summary>
[TestFixture]
public sealed class AccountApiDirectoryTests
{
    private static readonly Guid Account = Guid.NewGuid();
    private static readonly Guid Group = Guid.NewGuid();
    private readonly List<string?> _apiKeys = [];
    private WebApplication _stub = null!;
    private TurumbaApp _app = null!;

    private static List<object> Contacts { get; } = Enumerable.Range(0, 5)
        .Select(i => (object)new { id = Guid.CreateVersion7(DateTimeOffset.UnixEpoch.AddDays(i)), first_name = $"Remote{i}", phone = $"+25191180000{i}", addresses = new { telegram = $"tg{i}" } })
        .ToList();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _stub = builder.Build();
        _stub.MapPost("/v1/directory/group-members", async (HttpContext http) =>
        {
            _apiKeys.Add(http.Request.Headers["X-Api-Key"]);
            var query = await JsonDocument.ParseAsync(http.Request.Body);
            var root = query.RootElement;
            if (root.GetProperty("account_id").GetGuid() != Account || root.GetProperty("group_ids")[0].GetGuid() != Group)
            {
                return Results.NotFound();
            }

            var limit = root.GetProperty("limit").GetInt32();
            var skip = root.GetProperty("after").ValueKind == JsonValueKind.Null ? 0 : Contacts.FindIndex(c => Id(c) == root.GetProperty("after").GetGuid()) + 1;
            var page = Contacts.Skip(skip).Take(limit).ToList();
            return Results.Json(new { data = page, next = skip + limit < Contacts.Count ? Id(page[^1]) : (Guid?)null });
        });
        _stub.MapPost("/v1/directory/contacts", () => Results.Json(new { data = Contacts.Take(1) }));
        _stub.MapGet("/v1/directory/lookup", (string address) =>
            Results.Json(new { data = address == "tg3" ? Contacts[3] : null }));
        await _stub.StartAsync();
        var url = _stub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        _app = new TurumbaApp(settings: new Dictionary<string, string?>
        {
            ["Turumba:Contacts:Directory:Source"] = "account-api",
            ["Turumba:Contacts:Directory:AccountApi:BaseUrl"] = url,
            ["Turumba:Contacts:Directory:AccountApi:ApiKey"] = "stub-key",
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _app.DisposeAsync();
        await _stub.DisposeAsync();
    }

    [Test]
    public async Task Directory_pages_group_members_from_the_account_api()
    {
        var directory = _app.Services.GetRequiredService<IContactDirectory>();
        var names = new List<string?>();
        Guid? cursor = null;
        do
        {
            var page = await directory.GetGroupMembersAsync(Account, [Group], [], cursor, null, 2, CancellationToken.None);
            names.AddRange(page.Contacts.Select(c => c.FirstName));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EqualTo(new[] { "Remote0", "Remote1", "Remote2", "Remote3", "Remote4" }));
            Assert.That(_apiKeys, Is.All.EqualTo("stub-key"));
        });
    }

    [Test]
    public async Task Directory_looks_up_by_address_through_the_account_api()
    {
        var directory = _app.Services.GetRequiredService<IContactDirectory>();

        var found = await directory.FindByAddressAsync(Account, "telegram", "tg3", CancellationToken.None);
        var missing = await directory.FindByAddressAsync(Account, "telegram", "nobody", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(found?.FirstName, Is.EqualTo("Remote3"));
            Assert.That(found?.AddressFor("telegram"), Is.EqualTo("tg3"));
            Assert.That(missing, Is.Null);
        });
    }

    [Test]
    public async Task Unknown_directory_source_stops_the_host_with_a_clear_message()
    {
        await using var host = HostProcess.Start(["--roles", "api"], new Dictionary<string, string?> { ["Turumba__Contacts__Directory__Source"] = "ldap" });

        Assert.That(await host.WaitForExitAsync(TimeSpan.FromSeconds(90)), Is.EqualTo(2), host.Output);
        Assert.That(host.Output, Does.Contain("'local' or 'account-api'"));
    }

    private static Guid Id(object contact) => (Guid)contact.GetType().GetProperty("id")!.GetValue(contact)!;
}
