using MimeKit;
using Turumba.Channels;
using Turumba.Platform.Addresses;

namespace Turumba.Adapters.Smtp;

/// <summary>
/// The MIME message for one email: From (with the channel's name), Reply-To, To, Subject, our
/// Message-ID and <see cref="EmailHeaders.MessageIdHeader"/>, the allow-listed custom headers, and
/// the body: <c>text/plain</c> alone, or <c>multipart/alternative</c> with the text part first and
/// the HTML part last (RFC 2046 §5.1.4: the preferred alternative last). Without a text body the text
/// part is derived from the HTML.
/// </summary>
internal static class EmailMime
{
    public const string SubjectKey = "subject";
    public const string HtmlBodyKey = "html_body";

    public static MimeMessage Build(DispatchPayload payload, string messageId, DateTimeOffset date, IReadOnlyList<KeyValuePair<string, string>> extraHeaders)
    {
        var credentials = payload.Credentials;
        var subject = payload.Metadata.GetValueOrDefault(SubjectKey) ?? string.Empty;
        var headersJson = payload.Metadata.GetValueOrDefault(EmailHeaders.MetadataKey);
        if (EmailHeaders.Problems(subject, headersJson).FirstOrDefault() is { Message: { } problem })
        {
            throw new InvalidPayloadException(problem, "invalid_header");
        }

        if (!MailboxAddress.TryParse(payload.DeliveryAddress, out var to) || !to.Address.Contains('@', StringComparison.Ordinal))
        {
            throw new InvalidPayloadException($"'{payload.DeliveryAddress}' is not an email address.", "invalid_recipient");
        }

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(credentials.Get(SmtpAdapter.FromName) ?? string.Empty, credentials.Require(SmtpAdapter.FromAddress)));
        if (credentials.Get(SmtpAdapter.ReplyTo) is { } replyTo)
        {
            message.ReplyTo.Add(MailboxAddress.Parse(replyTo));
        }

        message.To.Add(to);
        message.Subject = subject;
        message.MessageId = messageId;
        message.Date = date;
        message.Headers.Add(EmailHeaders.MessageIdHeader, payload.MessageId.ToString());
        foreach (var (name, value) in EmailHeaders.Parse(headersJson).Concat(extraHeaders))
        {
            message.Headers.Add(name, value);
        }

        var html = payload.Metadata.GetValueOrDefault(HtmlBodyKey) is { Length: > 0 } h ? h : null;
        var text = string.IsNullOrWhiteSpace(payload.Body) && html is not null ? HtmlText.Convert(html) : payload.Body;
        var plain = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = text };
        message.Body = html is null
            ? plain
            : new MultipartAlternative { plain, new TextPart(MimeKit.Text.TextFormat.Html) { Text = html } };
        return message;
    }

    /// <summary>Our Message-ID for a message (without angle brackets): the same on every attempt, so a retry is recognisably the same email.</summary>
    public static string MessageIdFor(Guid messageId, string fromAddress)
    {
        var at = fromAddress.LastIndexOf('@');
        var domain = at >= 0 && at < fromAddress.Length - 1 ? fromAddress[(at + 1)..] : "turumba.local";
        return $"{messageId:N}@{domain}";
    }
}
