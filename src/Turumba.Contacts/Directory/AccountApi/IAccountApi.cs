using Refit;

namespace Turumba.Contacts.Directory.AccountApi;

/// <summary>
/// The directory endpoints Turumba expects of an external Account API (documented in
/// docs/operations.md). Bodies are snake_case JSON.
/// </summary>
internal interface IAccountApi
{
    [Post("/v1/directory/group-members")]
    Task<AccountApiPage> GetGroupMembersAsync([Body] GroupMembersQuery query, CancellationToken cancellationToken);

    [Post("/v1/directory/contacts")]
    Task<AccountApiPage> GetContactsAsync([Body] ContactsQuery query, CancellationToken cancellationToken);

    [Post("/v1/directory/groups")]
    Task<AccountApiMissingGroups> MissingGroupsAsync([Body] GroupsQuery query, CancellationToken cancellationToken);

    [Get("/v1/directory/lookup")]
    Task<AccountApiLookup> FindByAddressAsync(
        [AliasAs("account_id")] Guid accountId,
        [AliasAs("channel_type")] string channelType,
        string address,
        CancellationToken cancellationToken);
}

internal sealed record GroupMembersQuery(Guid AccountId, IReadOnlyCollection<Guid> GroupIds, IReadOnlyCollection<Guid> ExcludeContactIds, Guid? After, int Limit);

internal sealed record ContactsQuery(Guid AccountId, IReadOnlyCollection<Guid> ContactIds);

internal sealed record AccountApiContact(
    Guid Id,
    string? FirstName,
    string? LastName,
    string? Phone,
    string? Email,
    Dictionary<string, string>? Addresses,
    Dictionary<string, string>? Attributes,
    string? PreferredChannel)
{
    public DirectoryContact ToDirectoryContact() =>
        new(Id, FirstName, LastName, Phone, Email, Addresses ?? [], Attributes ?? [], PreferredChannel);
}

internal sealed record AccountApiPage(List<AccountApiContact> Data, Guid? Next);

internal sealed record AccountApiLookup(AccountApiContact? Data);

internal sealed record GroupsQuery(Guid AccountId, IReadOnlyCollection<Guid> GroupIds);

internal sealed record AccountApiMissingGroups(List<Guid> Missing);
