using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Turumba.IntegrationTests.Host;

/// <summary>A role decides what an instance serves; health is served by every role.</summary>
[TestFixture]
public sealed class RoleCompositionTests
{
    [Test]
    public async Task Instance_without_the_api_role_serves_no_api_but_health()
    {
        await using var app = new TurumbaApp(roles: "dispatch:telegram,status");
        var account = await app.CreateAccountAsync();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", account.ApiKey);

        await (await client.GetAsync("/v1/contacts")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
        Assert.That((await client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Instance_with_the_api_role_serves_the_api()
    {
        await using var app = new TurumbaApp(roles: "api");
        var account = await app.CreateAccountAsync();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", account.ApiKey);

        await (await client.GetAsync("/v1/contacts")).ExpectAsync(HttpStatusCode.OK);
    }

    [TestCase("dispatch:telegram", new[] { "message.dispatch.telegram" })]
    [TestCase("dispatch:sms,dispatch:smpp", new[] { "message.dispatch.sms", "message.dispatch.smpp" })]
    [TestCase("status,inbound", new[] { "message.status.update", "webhook.inbound", "contacts.suppressions", "contacts.opt_out_keywords" })]
    [TestCase("groups", new[] { "group_message_processing", "group_message_progress" })]
    [TestCase("scheduling", new[] { "scheduled_message_processing" })]
    [TestCase("api,webhooks", new string[0])]
    public async Task Each_role_consumes_exactly_its_queues(string roles, string[] expected)
    {
        var vhost = "roles_" + Guid.NewGuid().ToString("N")[..8];
        var rabbit = await TestVirtualHost.CreateAsync(TestServices.AdminRabbitMq, vhost);
        try
        {
            await using (var app = new TurumbaApp(roles, new Dictionary<string, string?> { ["ConnectionStrings:RabbitMq"] = rabbit }))
            {
                await app.Services.GetRequiredService<IBusControl>()
                    .WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
                var known = new[] { "message.dispatch.", "message.status.update", "webhook.inbound", "group_message_processing", "group_message_progress", "scheduled_message_processing", "contacts." };
                var queues = (await TestVirtualHost.QueuesAsync(TestServices.AdminRabbitMq, vhost))
                    .Where(q => known.Any(k => q.StartsWith(k, StringComparison.Ordinal)) && !q.EndsWith("_error", StringComparison.Ordinal) && !q.EndsWith("_skipped", StringComparison.Ordinal))
                    .Order();

                Assert.That(queues, Is.EqualTo(expected.Order()));
            }
        }
        finally
        {
            await TestVirtualHost.DeleteAsync(TestServices.AdminRabbitMq, vhost);
        }
    }

    [Test]
    public async Task OpenApi_document_describes_the_api()
    {
        using var client = TestServices.App.CreateClient();

        var document = await (await client.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);

        Assert.That(document.GetProperty("paths").TryGetProperty("/v1/contacts", out _), Is.True);
        // Strings pass a custom converter (the input guards); their schema must still say string.
        var contact = document.GetProperty("components").GetProperty("schemas").GetProperty("CreateContactRequest").GetProperty("properties");
        Assert.That(contact.GetProperty("first_name").ToString(), Does.Contain("string"));
    }
}
