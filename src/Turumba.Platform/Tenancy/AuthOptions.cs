namespace Turumba.Platform.Tenancy;

/// <summary>Settings under <c>Turumba:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Turumba:Auth";

    /// <summary>
    /// Trust an <c>x-account-ids</c> header set by a gateway in front of this service instead of
    /// API keys. Only safe when clients cannot reach the service except through that gateway.
    /// </summary>
    public bool TrustedGateway { get; set; }

    /// <summary>How long a verified API key is remembered in memory (revocation takes effect after this).</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
