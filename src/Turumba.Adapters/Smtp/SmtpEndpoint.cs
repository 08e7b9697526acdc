using System.Net;
using System.Security.Cryptography;
using System.Text;
using MailKit.Security;
using Turumba.Channels;

namespace Turumba.Adapters.Smtp;

/// <summary>A channel's relay as its credentials name it: where, how secured, as whom.</summary>
internal sealed record SmtpEndpoint(string Host, int Port, string Security, string Username, string Password, string? CertificateSha256)
{
    public const string StartTls = "starttls";
    public const string Ssl = "ssl";
    public const string None = "none";

    public static SmtpEndpoint Of(ChannelCredentials credentials) => new(
        credentials.Require(SmtpAdapter.Host).Trim(),
        int.TryParse(credentials.Require(SmtpAdapter.Port), out var port) ? port : throw new InvalidPayloadException("credentials.port is not a number."),
        credentials.Get(SmtpAdapter.Security) ?? StartTls,
        credentials.Require(SmtpAdapter.Username),
        credentials.Require(SmtpAdapter.Password),
        credentials.Get(SmtpAdapter.CertificateSha256));

    public SecureSocketOptions SocketOptions => Security switch
    {
        Ssl => SecureSocketOptions.SslOnConnect,
        None => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };

    /// <summary>Identifies these settings without holding the password: a changed password makes a new pool.</summary>
    public string Fingerprint() => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{Host}\n{Port}\n{Security}\n{Username}\n{Password}\n{CertificateSha256}")))[..32];

    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
