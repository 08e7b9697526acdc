namespace Turumba.Channels;

/// <summary>A channel's decrypted credentials (field name → value), as adapters receive them.</summary>
public sealed class ChannelCredentials(IReadOnlyDictionary<string, string> values)
{
    public const string ApiBaseUrl = "api_base_url";
    public const string Provider = "provider";
    public const string WebhookSecret = "webhook_secret";

    public IReadOnlyDictionary<string, string> Values { get; } = values;

    public string? Get(string name) => Values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>The value, or an <see cref="InvalidPayloadException"/> naming the missing field.</summary>
    public string Require(string name) =>
        Get(name) ?? throw new InvalidPayloadException($"The channel's credentials have no '{name}'.");

    /// <summary>The per-channel override of the provider's base URL, if any.</summary>
    public Uri? BaseUrlOverride => Get(ApiBaseUrl) is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;
}
