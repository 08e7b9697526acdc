using System.Collections.Concurrent;
using System.Net;
using MassTransit;
using Turumba.Contracts;

namespace Turumba.IntegrationTests.Channels;

/// <summary>Every channel change reaches the broker as <see cref="ChannelChanged"/>, and any instance can decrypt any channel.</summary>
[TestFixture]
public sealed class ChannelEventsTests
{
    [Test]
    public async Task Create_update_and_delete_publish_channel_changed_through_the_outbox()
    {
        await using var services = await IsolatedServices.CreateAsync("events");
        var received = new ConcurrentQueue<ChannelChanged>();
        var listener = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(services.RabbitMq));
            cfg.ReceiveEndpoint("test.channel-changed", e => e.Handler<ChannelChanged>(context =>
            {
                received.Enqueue(context.Message);
                return Task.CompletedTask;
            }));
        });
        await listener.StartAsync();
        try
        {
            await using var app = new TurumbaApp(settings: services.Settings);
            using var client = await app.CreateAccountClientAsync("events");
            var id = (await (await client.PostJsonAsync("/v1/channels?verify=false", new
            {
                name = "evented",
                channel_type = "telegram",
                credentials = new Dictionary<string, string> { ["bot_token"] = "1:AAevents_token_for_the_outbox_test" },
            })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();
            await (await client.PatchJsonAsync($"/v1/channels/{id}", new { name = "renamed" })).ExpectAsync(HttpStatusCode.OK);
            Assert.That((await client.DeleteAsync($"/v1/channels/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

            await Eventually.WaitAsync(() => Task.FromResult(received.Count(c => c.ChannelId == id) >= 3), TimeSpan.FromSeconds(60),
                $"three ChannelChanged events (have {string.Join(", ", received.Where(c => c.ChannelId == id).Select(c => c.Change))})");
            // Each request is its own outbox: order holds within one, not across them.
            Assert.That(received.Where(c => c.ChannelId == id).Select(c => c.Change),
                Is.EquivalentTo(new[] { ChannelChange.Created, ChannelChange.Updated, ChannelChange.Deleted }));
        }
        finally
        {
            await listener.StopAsync();
        }
    }

    [Test]
    public async Task Another_instance_decrypts_a_channel_created_elsewhere()
    {
        using var client = await TestServices.App.CreateAccountClientAsync("keys");
        var token = "2:AAshared_key_ring_token_0123456789";
        var id = (await (await client.PostJsonAsync("/v1/channels?verify=false", new
        {
            name = "shared",
            channel_type = "telegram",
            credentials = new Dictionary<string, string> { ["bot_token"] = token },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

        await using var other = new TurumbaApp(roles: "api");
        using var otherClient = other.CreateClient();
        otherClient.DefaultRequestHeaders.Add("X-Api-Key", client.DefaultRequestHeaders.GetValues("X-Api-Key").Single());
        var seen = (await (await otherClient.GetAsync($"/v1/channels/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.That(seen.GetProperty("credentials").GetProperty("bot_token").GetString(), Is.EqualTo("2:A****6789"));
    }
}
