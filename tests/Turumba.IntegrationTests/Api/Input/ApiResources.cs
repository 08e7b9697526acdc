using System.Net;
using System.Text;
using Turumba.IntegrationTests.Messaging;

namespace Turumba.IntegrationTests.Api.Input;

/// <summary>One of each resource in a fresh account, for tests that send bad input at every route.</summary>
internal sealed class ApiResources(HttpClient client, Guid channel, Guid template, Guid contact, Guid group, Guid draft, Guid message)
{
    public HttpClient Client => client;

    public Guid Channel => channel;

    public Guid Contact => contact;

    public static async Task<ApiResources> CreateAsync(string name)
    {
        var account = await TestServices.App.CreateAccountAsync(name);
        var client = TestServices.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", account.ApiKey);
        var channel = await IdOfCreatedAsync(client, "/v1/channels?verify=false", new
        {
            name = "input bot",
            channel_type = "telegram",
            // Nothing listens on the discard port: a message that does get through fails quietly.
            credentials = new Dictionary<string, string> { ["bot_token"] = "12345:input", ["api_base_url"] = "http://127.0.0.1:9/" },
        });
        var template = await IdOfCreatedAsync(client, "/v1/templates", new { name = "greeting", body = "Hi {name}" });
        var contact = await IdOfCreatedAsync(client, "/v1/contacts", new
        {
            first_name = "Hana",
            phone = "+251911424242",
            addresses = new Dictionary<string, string> { ["telegram"] = "4242" },
        });
        var group = await IdOfCreatedAsync(client, "/v1/contact-groups", new { name = "input group" });
        var draft = await IdOfCreatedAsync(client, "/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, message_body = "draft" });
        var message = await MessageRows.InsertAsync(account.AccountId, "sent", "4242", channelId: channel);
        return new ApiResources(client, channel, template, contact, group, draft, message);
    }

    /// <summary>Sends <paramref name="body"/> (JSON text) to <paramref name="route"/>, ids written as {channel}, {template} … filled in.</summary>
    public Task<HttpResponseMessage> SendAsync(string method, string route, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), Fill(route));
        if (body is not null)
        {
            request.Content = new StringContent(Fill(body), Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }

    private string Fill(string text) => text
        .Replace("{channel}", channel.ToString(), StringComparison.Ordinal)
        .Replace("{template}", template.ToString(), StringComparison.Ordinal)
        .Replace("{contact}", contact.ToString(), StringComparison.Ordinal)
        .Replace("{group}", group.ToString(), StringComparison.Ordinal)
        .Replace("{draft}", draft.ToString(), StringComparison.Ordinal)
        .Replace("{message}", message.ToString(), StringComparison.Ordinal);

    private static async Task<Guid> IdOfCreatedAsync(HttpClient client, string route, object body) =>
        (await (await client.PostJsonAsync(route, body)).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
}
