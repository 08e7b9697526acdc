namespace Turumba.Platform.Api.Input;

/// <summary>The size limits of request input, documented in README (API → Limits).</summary>
public static class InputLimits
{
    /// <summary>A JSON request body; larger is a 413 before it is read.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>One object-valued field (metadata, custom_values, default_values, attributes, credentials), serialized as UTF-8.</summary>
    public const int MaxObjectBytes = 64 * 1024;

    /// <summary>One credential value, in characters.</summary>
    public const int MaxCredentialLength = 4096;
}
