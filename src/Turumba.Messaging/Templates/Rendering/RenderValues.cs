using Turumba.Contacts;

namespace Turumba.Messaging;

/// <summary>The values one rendering may use, in resolution order: custom values, the contact's fields and attributes, the template's defaults.</summary>
public readonly record struct RenderValues(
    IReadOnlyDictionary<string, string>? CustomValues,
    DirectoryContact? Contact,
    IReadOnlyDictionary<string, string>? Defaults);

/// <summary>The text for one contact, or why the contact gets none.</summary>
public readonly record struct RenderResult(string? Text, bool Skipped, IReadOnlyList<string> Missing)
{
    public static readonly IReadOnlyList<string> NoneMissing = [];
}
