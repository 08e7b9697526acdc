using System.Net;

namespace Turumba.IntegrationTests.Email;

/// <summary>An email without a subject (template subject or metadata.subject) is refused where the send is composed: 422, nothing queued.</summary>
[TestFixture]
public sealed class EmailSubjectTests : SmtpFixture
{
    protected override string Name => "smtp-subject";

    [Test]
    public async Task Sends_without_a_subject_are_422_and_nothing_is_relayed()
    {
        var (channel, username, _) = await CreateChannelAsync();
        var noSubject = await CreateTemplateAsync(new { name = "plain " + username, channel_type = "email", body = "Hello" });
        var group = (await (await Client.PostJsonAsync("/v1/contact-groups", new { name = "subjectless " + username })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("data").GetProperty("id").GetGuid();

        var single = await Client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "a@example.org", message_body = "hello" });
        var blank = await Client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "a@example.org", message_body = "hello", metadata = new { subject = "  " } });
        var viaTemplate = await Client.PostJsonAsync("/v1/messages", new { channel_id = channel, delivery_address = "a@example.org", template_id = noSubject });
        var groupBody = await Client.PostJsonAsync("/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, message_body = "hello", status = "queued" });
        var groupTemplate = await Client.PostJsonAsync("/v1/group-messages", new { channel_id = channel, contact_group_ids = new[] { group }, template_id = noSubject, status = "queued" });
        var withSubject = await SendAsync(new { channel_id = channel, delivery_address = "b@example.org", message_body = "hello", metadata = new { subject = "Hi" } });
        await WaitForStatusAsync(withSubject, "sent");

        Assert.Multiple(async () =>
        {
            foreach (var (response, field) in new[] { (single, "metadata.subject"), (blank, "metadata.subject"), (viaTemplate, "template_id"), (groupBody, "template_id"), (groupTemplate, "template_id") })
            {
                var envelope = (await response.ExpectAsync(HttpStatusCode.UnprocessableEntity)).ToString();
                Assert.That(envelope, Does.Contain("validation_error").And.Contain(field).And.Contain("needs a subject"));
            }

            Assert.That(Simulator.Smtp.MessagesBy(username).Select(m => m.RcptTo[0]), Is.EqualTo(new[] { "b@example.org" }));
        });
    }
}
