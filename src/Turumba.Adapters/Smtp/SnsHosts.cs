using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Turumba.Channels;

namespace Turumba.Adapters.Smtp;

/// <summary>
/// Where SNS messages may send us: the signing certificate and the subscription URL are fetched only
/// from https on <c>sns.&lt;region&gt;.amazonaws.com</c> (the topic's region) or a host listed in
/// <see cref="SmtpOptions.SnsHosts"/>; certificates are cached per URL. No redirects are followed.
/// </summary>
internal sealed partial class SnsHosts(IHttpClientFactory clients, IOptions<SmtpOptions> options, TimeProvider clock)
{
    public const string ClientName = "smtp-sns";
    private const int MaxCachedCertificates = 64;

    private readonly ConcurrentDictionary<string, (X509Certificate2 Certificate, DateTimeOffset Until)> _certificates = new(StringComparer.Ordinal);

    public static bool IsLoopbackEntry(string entry)
    {
        var host = entry.Contains(':', StringComparison.Ordinal) && !entry.StartsWith('[') ? entry[..entry.LastIndexOf(':')] : entry.Trim('[', ']');
        return SmtpEndpoint.IsLoopback(host);
    }

    /// <summary>Whether SNS of the topic's region could have sent us to <paramref name="url"/>.</summary>
    public bool IsAllowed(string url, string topicArn)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0)
        {
            return false;
        }

        if (uri.Scheme == Uri.UriSchemeHttps && uri.IsDefaultPort && SnsRegionHost().Match(uri.Host) is { Success: true } m)
        {
            return string.Equals(m.Groups[1].Value, SnsMessage.RegionOf(topicArn), StringComparison.Ordinal);
        }

        var listed = options.Value.SnsHosts.Any(h => string.Equals(h, uri.Host, StringComparison.OrdinalIgnoreCase)
            || string.Equals(h, uri.Authority, StringComparison.OrdinalIgnoreCase));
        return listed && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || SmtpEndpoint.IsLoopback(uri.Host))));
    }

    /// <summary>The certificate at <paramref name="url"/> (PEM or DER), cached; null when it cannot be had.</summary>
    public async Task<X509Certificate2?> CertificateAsync(string url, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_certificates.TryGetValue(url, out var cached) && cached.Until > now)
        {
            return cached.Certificate;
        }

        try
        {
            using var response = await clients.CreateClient(ClientName).GetAsync(url, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var certificate = bytes.Length > 0 && bytes[0] == (byte)'-'
                ? X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(bytes))
                : X509CertificateLoader.LoadCertificate(bytes);
            if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime || certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
            {
                return null;
            }

            if (_certificates.Count >= MaxCachedCertificates)
            {
                _certificates.Clear();
            }

            _certificates[url] = (certificate, now + options.Value.SnsCertificateCacheTime);
            return certificate;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Visits the subscription URL (SNS's ConfirmSubscription); a failure is a <see cref="ProviderConnectionException"/>, so SNS tries again.</summary>
    public async Task ConfirmAsync(string subscribeUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await clients.CreateClient(ClientName).GetAsync(subscribeUrl, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ProviderConnectionException($"SNS answered the subscription confirmation with HTTP {(int)response.StatusCode}.", "sns_confirm");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new ProviderConnectionException($"SNS could not be reached to confirm the subscription ({ex.Message}).", "sns_confirm", ex);
        }
    }

    [GeneratedRegex(@"^sns\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SnsRegionHost();
}
