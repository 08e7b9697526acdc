using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Contacts;

internal sealed class Contact : TenantEntity
{
    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    /// <summary>E.164, e.g. +251911234567.</summary>
    public string? Phone { get; set; }

    public string? Email { get; set; }

    /// <summary>Channel type → address, overriding phone/email (e.g. telegram → chat id).</summary>
    public Dictionary<string, string> Addresses { get; set; } = [];

    /// <summary>Custom values for templates.</summary>
    public Dictionary<string, string> Attributes { get; set; } = [];

    public string? PreferredChannel { get; set; }
}
