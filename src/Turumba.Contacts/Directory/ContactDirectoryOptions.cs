using System.ComponentModel.DataAnnotations;

namespace Turumba.Contacts.Directory;

/// <summary>Settings under <c>Turumba:Contacts:Directory</c>: where contacts are read from when sending.</summary>
internal sealed class ContactDirectoryOptions : IValidatableObject
{
    public const string Section = "Turumba:Contacts:Directory";

    /// <summary><c>local</c> (this service's contacts tables, the default) or <c>account-api</c>.</summary>
    public string Source { get; set; } = "local";

    public AccountApiOptions AccountApi { get; set; } = new();

    public bool UsesAccountApi => string.Equals(Source, "account-api", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UsesAccountApi && !string.Equals(Source, "local", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"{Section}:Source must be 'local' or 'account-api', not '{Source}'.");
        }

        if (UsesAccountApi && !Uri.TryCreate(AccountApi.BaseUrl, UriKind.Absolute, out _))
        {
            yield return new ValidationResult($"{Section}:AccountApi:BaseUrl must be an absolute URL when Source is 'account-api'.");
        }
    }
}

internal sealed class AccountApiOptions
{
    public string? BaseUrl { get; set; }

    /// <summary>Sent as <c>X-Api-Key</c>.</summary>
    public string? ApiKey { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
