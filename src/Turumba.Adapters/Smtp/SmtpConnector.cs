using System.Net.Sockets;
using System.Security.Cryptography;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Turumba.Channels;

namespace Turumba.Adapters.Smtp;

/// <summary>
/// Opens one authenticated session with a relay: TCP, TLS (implicit or STARTTLS), AUTH. Each step
/// that fails says which it was (DNS, connection, TLS, authentication), for the channel's error.
/// </summary>
internal static class SmtpConnector
{
    public static async Task<SmtpClient> ConnectAsync(SmtpEndpoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        if (endpoint.CertificateSha256 is { } pin)
        {
            // A pinned certificate (a relay with a self-signed one): exactly that certificate, instead of the chain.
            var expected = Convert.FromHexString(pin.Replace(":", string.Empty, StringComparison.Ordinal));
            client.ServerCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), expected);
        }

        try
        {
            // Our own socket, for NoDelay: MailKit writes a command and its data in separate small
            // segments, and with Nagle each waits for the relay's delayed ACK (40 ms on Linux), which
            // would cap a pooled session at about 20 messages a second.
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connectTimeout.CancelAfter(timeout);
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, connectTimeout.Token);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            await client.ConnectAsync(socket, endpoint.Host, endpoint.Port, endpoint.SocketOptions, cancellationToken);
            await client.AuthenticateAsync(endpoint.Username, endpoint.Password, cancellationToken);
            return client;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw Classify(ex, endpoint, timeout);
        }
    }

    private static ChannelAdapterException Classify(Exception ex, SmtpEndpoint endpoint, TimeSpan timeout)
    {
        var where = $"{endpoint.Host}:{endpoint.Port}";
        return ex switch
        {
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } =>
                new ProviderConnectionException($"DNS: the host name {endpoint.Host} could not be resolved ({ex.Message}).", "dns", ex),
            SocketException s =>
                new ProviderConnectionException($"Connection: could not connect to {where} ({s.SocketErrorCode}: {ex.Message}).", "connect", ex),
            SslHandshakeException =>
                new ProviderConnectionException($"TLS: the TLS handshake with {where} failed; the certificate is not trusted or the relay does not speak TLS on this port ({FirstLine(ex.Message)}).", "tls", ex),
            NotSupportedException when endpoint.Security == SmtpEndpoint.StartTls =>
                new ProviderConnectionException($"TLS: {where} does not offer STARTTLS.", "tls", ex),
            AuthenticationException =>
                new ProviderAuthException($"Authentication: {where} refused the username and password ({ex.Message}).", "auth"),
            NotSupportedException =>
                new ProviderAuthException($"Authentication: {where} offers no authentication mechanism we can use ({ex.Message}).", "auth"),
            SmtpCommandException command => SmtpReplies.Map(command, null, TimeSpan.FromSeconds(30)),
            OperationCanceledException or TimeoutException =>
                new ProviderConnectionException($"Connection: {where} did not answer within {timeout.TotalSeconds:0.#} s.", "connect", ex),
            SmtpProtocolException or IOException or ServiceNotConnectedException =>
                new ProviderConnectionException($"Connection: the session with {where} broke off ({ex.Message}).", "connect", ex),
            _ => new ProviderConnectionException($"Connection: {where} could not be used ({ex.GetType().Name}: {ex.Message}).", "connect", ex),
        };
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
