using FluentValidation.Results;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Turumba.Channels.Channels;

/// <summary>
/// Where a channel's <c>credentials.api_base_url</c> may point: the override exists for the simulator
/// and for a provider's regional endpoint, and without a limit a tenant could make this service call
/// any address it can reach (its own network's, the cloud's metadata service). In Development and
/// Testing any http(s) URL is taken; elsewhere only hosts listed in
/// <c>Turumba:Channels:ApiBaseUrlHosts</c> (none by default, so the override is refused).
/// </summary>
internal sealed class ApiBaseUrlPolicy(IConfiguration configuration, IHostEnvironment environment)
{
    public const string Setting = "Turumba:Channels:ApiBaseUrlHosts";

    private readonly HashSet<string> _hosts = new(
        configuration.GetSection(Setting).Get<string[]>() ?? [], StringComparer.OrdinalIgnoreCase);

    private bool AnyHost => environment.IsDevelopment() || environment.IsEnvironment("Testing");

    public ValidationFailure? Check(IReadOnlyDictionary<string, string> credentials)
    {
        if (AnyHost || !credentials.TryGetValue(ChannelCredentials.ApiBaseUrl, out var value)
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || _hosts.Contains(uri.Host))
        {
            return null;
        }

        return new ValidationFailure("credentials.api_base_url", _hosts.Count == 0
            ? $"credentials.api_base_url cannot be set on this installation (no host is allowed in {Setting})."
            : $"credentials.api_base_url may only point at {string.Join(", ", _hosts.Order(StringComparer.OrdinalIgnoreCase))} ({Setting}); '{uri.Host}' is not one of them.");
    }
}
