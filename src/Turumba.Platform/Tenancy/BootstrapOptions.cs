namespace Turumba.Platform.Tenancy;

/// <summary>
/// Settings under <c>Turumba:Bootstrap</c>: an account and API key created at start if missing.
/// For development installs; production creates accounts with <c>Turumba.Host accounts create</c>.
/// </summary>
public sealed class BootstrapOptions
{
    public const string Section = "Turumba:Bootstrap";

    public string? AccountName { get; set; }

    public string? ApiKey { get; set; }
}
