using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;

namespace Turumba.IntegrationTests.Meta;

/// <summary>Role maintenance re-syncs the WABA's templates on its own; a channel whose provider refuses is logged and counted and the others go on.</summary>
[TestFixture]
public sealed class WhatsAppPeriodicTemplateSyncTests : WhatsAppFixture
{
    protected override string Name => "whatsapp-periodic-sync";

    protected override IReadOnlyDictionary<string, string?> ProviderSettings => new Dictionary<string, string?>
    {
        ["Turumba:Channels:TemplateSync:Interval"] = "00:00:01",
    };

    [Test]
    public async Task A_template_the_WABA_gains_or_loses_shows_up_without_a_sync_request_and_a_refused_channel_only_counts_a_failure()
    {
        var outcomes = new ConcurrentQueue<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "turumba.channels.template_syncs")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    outcomes.Enqueue((string)tag.Value!);
                }
            }
        });
        listener.Start();

        var (healthy, _) = await CreateChannelAsync(subscribe: false);
        var refusedToken = "EAArefused" + Guid.NewGuid().ToString("N");
        var (refused, _) = await CreateChannelAsync(subscribe: false, accessToken: refusedToken);
        Assert.That(await NamesAsync(refused), Does.Contain("order_update"), "synced on create");
        WhatsApp.Faults.RejectToken(refusedToken);
        var name = "periodic_" + Guid.NewGuid().ToString("N")[..8];
        var before = WhatsApp.Requests.Count(r => r.Path.EndsWith("/message_templates", StringComparison.Ordinal));

        WhatsApp.Templates[name] = ("en_US", "APPROVED", "UTILITY", "Periodic {{1}}");
        try
        {
            await Eventually.WaitAsync(async () => (await NamesAsync(healthy)).Contains(name), Deadline, "the new template synced without a request");
            await Eventually.WaitAsync(() => Task.FromResult(App.Logs.Lines.Any(l => l.Contains($"Periodic template sync of channel {refused} failed", StringComparison.Ordinal))),
                Deadline, "the refused channel's failure logged");
        }
        finally
        {
            WhatsApp.Templates.TryRemove(name, out _);
        }

        // The host kept going after the failure: the next runs see the template gone.
        await Eventually.WaitAsync(async () => !(await NamesAsync(healthy)).Contains(name), Deadline, "the removed template gone without a request");
        var calls = WhatsApp.Requests.Count(r => r.Path.EndsWith("/message_templates", StringComparison.Ordinal)) - before;
        var refusedNames = await NamesAsync(refused);
        Assert.Multiple(() =>
        {
            Assert.That(refusedNames, Does.Contain("order_update").And.Not.Contain(name), "a failed sync leaves the stored templates as they were");
            Assert.That(outcomes, Does.Contain("synced").And.Contain("failed"), "both outcomes counted");
            Assert.That(App.Logs.Lines.Where(l => l.Contains("failed", StringComparison.Ordinal)).Any(l => l.Contains(refusedToken, StringComparison.Ordinal)), Is.False,
                "no log line carries the token");
            Assert.That(App.Logs.Lines.Any(l => l.StartsWith("Critical", StringComparison.Ordinal)), Is.False, "nothing stopped the host");
            Assert.That(calls, Is.GreaterThanOrEqualTo(2));
        });
    }

    private async Task<List<string>> NamesAsync(Guid channel) =>
        (await (await Client.GetAsync($"/v1/channels/{channel}/templates")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray()
            .Select(t => t.GetProperty("name").GetString()!).ToList();
}
