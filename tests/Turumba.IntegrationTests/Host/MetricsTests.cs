using System.Net;

namespace Turumba.IntegrationTests.Host;

[TestFixture]
public sealed class MetricsTests
{
    [Test]
    public async Task Metrics_are_served_for_prometheus_without_an_api_key()
    {
        using var client = TestServices.App.CreateClient();
        (await client.GetAsync("/health/live")).Dispose();
        (await client.GetAsync("/v1/contacts")).Dispose();

        // The exporter caches a scrape briefly, so one taken just before the requests may answer first.
        var text = string.Empty;
        var status = HttpStatusCode.OK;
        await Eventually.WaitAsync(async () =>
        {
            using var scrape = await client.GetAsync("/metrics");
            status = scrape.StatusCode;
            text = await scrape.Content.ReadAsStringAsync();
            return text.Contains("http_server_request_duration_seconds", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "the request duration metric");

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(text, Does.Contain("http_server_request_duration_seconds"));
            Assert.That(text, Does.Contain("dotnet_gc_collections"));
        });
    }

    [Test]
    public async Task Outbox_backlog_and_its_oldest_age_are_gauges()
    {
        using var client = TestServices.App.CreateClient();

        var text = string.Empty;
        await Eventually.WaitAsync(async () =>
        {
            text = await (await client.GetAsync("/metrics")).Content.ReadAsStringAsync();
            return text.Contains("turumba_outbox_backlog{", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(60), "the outbox backlog gauge");

        Assert.That(text, Does.Contain("kind=\"bus\"").And.Contain("kind=\"consumer\""));
    }

    [Test]
    public async Task Dispatch_queue_depth_and_consumers_are_gauges_per_dispatch_queue()
    {
        using var client = TestServices.App.CreateClient();

        var lines = new List<string>();
        await Eventually.WaitAsync(async () =>
        {
            var text = await (await client.GetAsync("/metrics")).Content.ReadAsStringAsync();
            lines = text.Split('\n').Where(l => l.StartsWith("turumba_dispatch_queue_", StringComparison.Ordinal)).ToList();
            return lines.Any(l => l.StartsWith("turumba_dispatch_queue_depth{", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(60), "the dispatch queue depth gauge");

        // The shared host dispatches every channel type, so each queue exists and has a consumer.
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Some.StartsWith("turumba_dispatch_queue_depth{").And.Contains("channel_type=\"telegram\"").And.Contains("queue=\"message.dispatch.telegram\""));
            Assert.That(lines.Where(l => l.StartsWith("turumba_dispatch_queue_consumers{", StringComparison.Ordinal) && l.Contains("channel_type=\"telegram\"", StringComparison.Ordinal)),
                Has.Some.Matches<string>(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture) >= 1),
                "the telegram queue has its consumer: " + string.Join("\n", lines));
        });
    }
}
