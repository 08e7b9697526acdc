namespace Turumba.Adapters.Smtp;

/// <summary>Settings under <c>Turumba:Adapters:Smtp</c>. Each channel names its relay in its credentials.</summary>
internal sealed class SmtpOptions
{
    public const string Section = "Turumba:Adapters:Smtp";

    /// <summary>Connected, authenticated clients kept per channel and host instance; at most this many sends run at once on a channel.</summary>
    public int PoolSize { get; set; } = 4;

    /// <summary>A pooled connection unused this long is closed (relays drop idle sessions after a few minutes).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of each SMTP command (connect, TLS, AUTH, MAIL, RCPT, DATA).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the channel pauses after a 421 that asks to slow down (the reply carries no retry time).</summary>
    public TimeSpan RateLimitPause { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Hosts besides loopback to which <c>security: none</c> (no TLS, credentials in clear) is allowed.</summary>
    public List<string> InsecureHosts { get; set; } = [];

    /// <summary>
    /// Hosts (<c>host</c> or <c>host:port</c>) trusted besides <c>sns.&lt;region&gt;.amazonaws.com</c> for
    /// an SNS message's <c>SigningCertURL</c> and <c>SubscribeURL</c> (the simulator's, in tests and local runs).
    /// A loopback host, which may then be plain http, is accepted only in the Development and Testing environments.
    /// </summary>
    public List<string> SnsHosts { get; set; } = [];

    /// <summary>How long a fetched SNS signing certificate is reused (SNS rotates them rarely; the URL names the certificate).</summary>
    public TimeSpan SnsCertificateCacheTime { get; set; } = TimeSpan.FromHours(24);

    /// <summary><c>Turumba:Webhooks:BaseUrl</c>: where one-click unsubscribe links point. Without it, group emails carry no List-Unsubscribe.</summary>
    public string? WebhookBaseUrl { get; set; }
}
