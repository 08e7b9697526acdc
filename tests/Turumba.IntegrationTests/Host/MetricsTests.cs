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

        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
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
}
