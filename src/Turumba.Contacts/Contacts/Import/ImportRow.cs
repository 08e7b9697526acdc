namespace Turumba.Contacts.Contacts.Import;

/// <summary>One contact to import, from a JSON object or a CSV row.</summary>
internal sealed record ImportRow(
    string? FirstName,
    string? LastName,
    string? Phone,
    string? Email,
    Dictionary<string, string>? Addresses,
    Dictionary<string, string>? Attributes,
    string? PreferredChannel);

internal sealed record ImportRequest(List<ImportRow>? Contacts, List<Guid>? GroupIds);

internal sealed record ImportRowError(int Row, string Field, string Message);

internal sealed record ImportResponse(
    int Created, int Updated, int Failed, IReadOnlyList<ImportRowError> Errors, IReadOnlyList<Guid> ContactIds, int AddedToGroups);
