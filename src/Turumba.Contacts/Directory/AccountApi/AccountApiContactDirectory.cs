using Turumba.Platform.Addresses;

namespace Turumba.Contacts.Directory.AccountApi;

/// <summary><see cref="IContactDirectory"/> over an external Account API, for installations that keep contacts there.</summary>
internal sealed class AccountApiContactDirectory(IAccountApi api, ISuppressionList suppressions) : IContactDirectory
{
    public async Task<ContactPage> GetGroupMembersAsync(
        Guid accountId,
        IReadOnlyCollection<Guid> groupIds,
        IReadOnlyCollection<Guid> excludedContactIds,
        Guid? after,
        string? suppressedOn,
        int pageSize,
        CancellationToken cancellationToken)
    {
        var page = await api.GetGroupMembersAsync(new GroupMembersQuery(accountId, groupIds, excludedContactIds, after, pageSize), cancellationToken);
        var contacts = page.Data.ConvertAll(c => c.ToDirectoryContact());
        if (suppressedOn is null)
        {
            return new ContactPage(contacts, page.Next);
        }

        // The list is ours even when the contacts are not: one query for the page's addresses.
        var addressOf = contacts.ToDictionary(c => c.Id, c => c.AddressFor(suppressedOn) is { } a ? DeliveryAddresses.ForLookup(suppressedOn, a) : null);
        var listed = await suppressions.SuppressedAsync(accountId, suppressedOn, addressOf.Values.OfType<string>().ToList(), cancellationToken);
        return new ContactPage(contacts.ConvertAll(c => addressOf[c.Id] is { } a && listed.Contains(a) ? c with { Suppressed = true } : c), page.Next);
    }

    public async Task<IReadOnlyList<DirectoryContact>> GetContactsAsync(
        Guid accountId, IReadOnlyCollection<Guid> contactIds, CancellationToken cancellationToken)
    {
        var page = await api.GetContactsAsync(new ContactsQuery(accountId, contactIds), cancellationToken);
        return page.Data.ConvertAll(c => c.ToDirectoryContact());
    }

    public async Task<IReadOnlyList<Guid>> MissingGroupsAsync(Guid accountId, IReadOnlyCollection<Guid> groupIds, CancellationToken cancellationToken) =>
        (await api.MissingGroupsAsync(new GroupsQuery(accountId, groupIds), cancellationToken)).Missing;

    public async Task<DirectoryContact?> FindByAddressAsync(Guid accountId, string channelType, string address, CancellationToken cancellationToken) =>
        (await api.FindByAddressAsync(accountId, channelType, address, cancellationToken)).Data?.ToDirectoryContact();
}
