using System.Net;
using Turumba.Simulator;

namespace Turumba.IntegrationTests.Email;

/// <summary>A group email through the pooled relay sessions: every member once, hard bounces suppressed.</summary>
[TestFixture]
public sealed class SmtpGroupSendTests : SmtpFixture
{
    private const int Members = 1_000;
    private const int Bounces = 10;

    protected override string Name => "smtp-group";

    [Test]
    public async Task Thousand_member_group_email_with_ten_hard_bounces_suppresses_those_ten()
    {
        var (channel, username, _) = await CreateChannelAsync();
        var started = DateTime.UtcNow;
        var verifySessions = Simulator.Smtp.SessionsOf(username);
        var group = (await (await Client.PostJsonAsync("/v1/contact-groups", new { name = "email group " + username })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        var addresses = Enumerable.Range(0, Members).Select(i => $"m{i}.{username}@example.org").ToList();
        await (await Client.PostJsonAsync("/v1/contacts/import", new
        {
            contacts = addresses.Select((a, i) => new { first_name = $"M{i}", email = a }),
            group_ids = new[] { group },
        })).ExpectAsync(HttpStatusCode.OK);
        var bounced = addresses.Where((_, i) => i % (Members / Bounces) == 7).ToList();
        foreach (var address in bounced)
        {
            Simulator.Smtp.RejectRecipient(address, "550 5.1.1 No such user here");
        }

        var template = await CreateTemplateAsync(new { name = "news " + username, subject = "News for {FIRST_NAME}", body = "Hi {FIRST_NAME}", html_body = "<p>Hi {FIRST_NAME}</p>" });
        var send = (await (await Client.PostJsonAsync("/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, template_id = template, status = "queued" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("id").GetGuid();

        await Eventually.WaitAsync(async () =>
        {
            var g = (await (await Client.GetAsync($"/v1/group-messages/{send}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
            return g.GetProperty("status").GetString() is "completed" or "partially_failed";
        }, TimeSpan.FromMinutes(4), "the group send completed");
        var suppressed = new List<string>();
        await Eventually.WaitAsync(async () =>
        {
            suppressed = (await (await Client.GetAsync($"/v1/suppressions?filter=channel_type:eq:email&page_size=100")).ExpectAsync(HttpStatusCode.OK))
                .GetProperty("data").EnumerateArray().Select(s => s.GetProperty("address").GetString()!).Where(a => a.EndsWith($".{username}@example.org", StringComparison.Ordinal)).ToList();
            return suppressed.Count >= Bounces;
        }, Deadline, "the bounced addresses suppressed");

        TestContext.Out.WriteLine($"{Members} group emails in {(DateTime.UtcNow - started).TotalSeconds:F1} s, {Simulator.Smtp.SessionsOf(username) - verifySessions} relay session(s)");
        var accepted = Simulator.Smtp.MessagesBy(username);
        var sample = accepted.Single(m => m.RcptTo.Single() == addresses[3]);
        Assert.Multiple(() =>
        {
            Assert.That(suppressed, Is.EquivalentTo(bounced));
            Assert.That(accepted, Has.Count.EqualTo(Members - Bounces));
            Assert.That(accepted.Select(m => m.RcptTo.Single()).Distinct().Count(), Is.EqualTo(Members - Bounces), "each member once");
            Assert.That(sample.Subject, Is.EqualTo("News for M3"));
            Assert.That(sample.HtmlBody!.Trim(), Is.EqualTo("<p>Hi M3</p>"));
            Assert.That(Simulator.Smtp.SessionsOf(username) - verifySessions, Is.InRange(1, 4), "the whole send over the pool's sessions");
        });
    }

    [Test]
    public async Task Group_email_carries_one_click_unsubscribe_that_suppresses_the_address()
    {
        var (channel, username, _) = await CreateChannelAsync();
        var to = $"reader.{username}@example.org";
        var group = (await (await Client.PostJsonAsync("/v1/contact-groups", new { name = "unsub " + username })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();
        await (await Client.PostJsonAsync("/v1/contacts/import", new { contacts = new[] { new { first_name = "R", email = to } }, group_ids = new[] { group } }))
            .ExpectAsync(HttpStatusCode.OK);
        var template = await CreateTemplateAsync(new { name = "letter " + username, subject = "Letter", body = "Hi {FIRST_NAME}" });
        await (await Client.PostJsonAsync("/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, template_id = template, status = "queued" }))
            .ExpectAsync(HttpStatusCode.Created);
        await Eventually.WaitAsync(() => Task.FromResult(Simulator.Smtp.MessagesBy(username).Count == 1), Deadline, "the group email");

        var mail = Simulator.Smtp.MessagesBy(username).Single();
        var header = mail.Header("List-Unsubscribe")!;
        var link = new Uri(header.Trim('<', '>'));
        var local = link.PathAndQuery;
        var page = await Provider.GetAsync(local);
        var pageText = await page.Content.ReadAsStringAsync();
        Assert.That(await SuppressionsOfAsync(to), Is.Empty, "a GET suppresses nothing");

        var token = System.Web.HttpUtility.ParseQueryString(link.Query)["token"]!;
        var forged = token[..^3] + (token[^3] == 'A' ? "BBB" : "AAA");
        var refused = await Provider.PostAsync(local.Replace(Uri.EscapeDataString(token), Uri.EscapeDataString(forged), StringComparison.Ordinal),
            new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        var posted = await Provider.PostAsync(local, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        await Eventually.WaitAsync(async () => (await SuppressionsOfAsync(to)).Count == 1, Deadline, "the address suppressed");

        var suppression = (await SuppressionsOfAsync(to)).Single();
        Assert.Multiple(async () =>
        {
            Assert.That(header, Does.StartWith($"<{PublicBaseUrl}/webhooks/email/{channel}/unsubscribe?token="));
            Assert.That(mail.Header("List-Unsubscribe-Post"), Is.EqualTo("List-Unsubscribe=One-Click"));
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(page.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
            Assert.That(pageText, Does.Contain(to).And.Contain("method=\"post\""));
            await refused.ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");
            Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(suppression.GetProperty("reason").GetString(), Is.EqualTo("opt_out"));
            Assert.That(suppression.GetProperty("source").GetString(), Is.EqualTo("unsubscribe_link"));
        });
    }

    [Test]
    public async Task Single_email_has_no_unsubscribe_header()
    {
        var (channel, username, _) = await CreateChannelAsync();
        var to = $"one.{username}@example.org";

        await WaitForStatusAsync(await SendAsync(new { channel_id = channel, delivery_address = to, message_body = "receipt", metadata = new { subject = "Receipt" } }), "sent");

        Assert.That(MessageTo(username, to).Header("List-Unsubscribe"), Is.Null);
    }
}
