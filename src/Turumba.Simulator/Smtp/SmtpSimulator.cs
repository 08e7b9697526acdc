using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using Turumba.Simulator.Faults;

namespace Turumba.Simulator.Smtp;

/// <summary>
/// The simulated relay's state: every message accepted (parsed: envelope, headers, parts), the
/// sessions opened and authenticated (per user, so a test counts its own channel's connections),
/// and the faults: refused users (the shared plan's tokens, 535), the next N recipients answered with
/// a temporary reply (fail next) or a 421 that asks to slow down (rate limit next), recipients refused
/// for good with a given reply, the next N sessions dropped without a reply.
/// </summary>
public sealed class SmtpSimulator : IDisposable
{
    private readonly ConcurrentQueue<SmtpMessage> _messages = new();
    private readonly ConcurrentDictionary<string, int> _sessionsByUser = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _rejectedRecipients = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private int _sessions;
    private int _dropNext;

    public SmtpSimulator(Func<string> baseUrl)
    {
        Events = new SmtpEventFeeds(baseUrl);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        // Through PKCS#12, so the private key is usable by SslStream on every platform.
        Certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        CertificateSha256 = Convert.ToHexString(SHA256.HashData(Certificate.RawData));
    }

    /// <summary>The self-signed certificate made at start (STARTTLS and implicit TLS).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Its SHA-256, for a channel's <c>tls_certificate_sha256</c>.</summary>
    public string CertificateSha256 { get; }

    /// <summary>The port speaking plain SMTP with STARTTLS (submission style).</summary>
    public int Port { get; internal set; }

    /// <summary>The port speaking TLS from the first byte (smtps).</summary>
    public int TlsPort { get; internal set; }

    public FaultPlan Faults { get; } = new();

    /// <summary>The relay service's event feeds (SES through SNS, SendGrid's Event Webhook) per SMTP user.</summary>
    public SmtpEventFeeds Events { get; }

    /// <summary>The reply the "fail next" recipients get.</summary>
    public string TemporaryReply { get; set; } = "451 4.3.0 Temporary local problem, try again later";

    public string RateLimitReply { get; set; } = "421 4.7.0 Too many messages, slow down";

    public IReadOnlyList<SmtpMessage> Messages => [.. _messages];

    /// <summary>Sessions opened (TCP connections), by anyone.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>Sessions that authenticated as each user.</summary>
    public IReadOnlyDictionary<string, int> SessionsByUser => new Dictionary<string, int>(_sessionsByUser);

    public IReadOnlyList<SmtpMessage> MessagesBy(string username) => _messages.Where(m => m.Username == username).ToList();

    public int SessionsOf(string username) => _sessionsByUser.GetValueOrDefault(username);

    /// <summary>RCPT TO <paramref name="address"/> answered with <paramref name="reply"/> (e.g. <c>550 5.1.1 No such user</c>) from now on.</summary>
    public void RejectRecipient(string address, string reply) => _rejectedRecipients[address] = reply;

    public void DropNext(int sessions)
    {
        lock (_gate)
        {
            _dropNext = sessions;
        }
    }

    public void Reset()
    {
        _messages.Clear();
        _sessionsByUser.Clear();
        _rejectedRecipients.Clear();
        Faults.Reset();
        Events.Reset();
        DropNext(0);
        Interlocked.Exchange(ref _sessions, 0);
        TemporaryReply = "451 4.3.0 Temporary local problem, try again later";
        RateLimitReply = "421 4.7.0 Too many messages, slow down";
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Events.Dispose();
    }

    internal void SessionOpened() => Interlocked.Increment(ref _sessions);

    internal bool Authenticate(string user) => !Faults.Rejects(user);

    internal void Authenticated(string user) => _sessionsByUser.AddOrUpdate(user, 1, (_, n) => n + 1);

    /// <summary>What RCPT TO gets: null to accept, a reply to refuse, or <see cref="Drop"/> to hang up.</summary>
    internal string? RecipientReply(string address)
    {
        lock (_gate)
        {
            if (_dropNext > 0)
            {
                _dropNext--;
                return Drop;
            }
        }

        if (_rejectedRecipients.TryGetValue(address, out var reply))
        {
            return reply;
        }

        return Faults.Next(null) switch
        {
            Fault.ServerError => TemporaryReply,
            Fault.RateLimited => RateLimitReply,
            _ => null,
        };
    }

    internal const string Drop = "drop";

    internal void Accept(string sessionId, string? username, string from, IReadOnlyList<string> to, byte[] raw)
    {
        using var stream = new MemoryStream(raw);
        var mime = MimeMessage.Load(stream);
        var parts = mime.BodyParts.OfType<TextPart>()
            .Select(p => new SmtpMessagePart(p.ContentType.MimeType, p.ContentType.Charset, p.Text))
            .ToList();
        var message = new SmtpMessage(
            Guid.NewGuid(), sessionId, username, from, to, mime.Subject, mime.MessageId, mime.Body?.ContentType.MimeType ?? "text/plain",
            mime.Headers.Select(h => new SmtpHeader(h.Field, h.Value)).ToList(), parts,
            mime.TextBody, mime.HtmlBody, raw.Length, DateTimeOffset.UtcNow);
        _messages.Enqueue(message);
        Events.Relayed(message);
    }
}

/// <summary>One message the relay accepted: envelope, parsed headers and text parts.</summary>
public sealed record SmtpMessage(
    Guid Id,
    string SessionId,
    string? Username,
    string MailFrom,
    IReadOnlyList<string> RcptTo,
    string? Subject,
    string? MessageId,
    string ContentType,
    IReadOnlyList<SmtpHeader> Headers,
    IReadOnlyList<SmtpMessagePart> Parts,
    string? TextBody,
    string? HtmlBody,
    int SizeBytes,
    DateTimeOffset ReceivedAt)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;
}

public sealed record SmtpHeader(string Name, string Value);

public sealed record SmtpMessagePart(string ContentType, string? Charset, string Text);
