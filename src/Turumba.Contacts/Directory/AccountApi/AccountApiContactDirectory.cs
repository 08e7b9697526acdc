namespace Turumba.Contacts.Directory.AccountApi;

/// <summary><see cref="IContactDirectory"/> over an external Account API, for installations that keep contacts there.</summary>
internal sealed class AccountApiContactDirectory(IAccountApi api) : IContactDirectory
{
    public async Task<ContactPage> GetGroupMembersAsync(
        Guid accountId,
        IReadOnlyCollection<Guid> groupIds,
        IReadOnlyCollection<Guid> excludedContactIds,
        Guid? after,
        int pageSize,
        CancellationToken cancellationToken)
    {
        var page = await api.GetGroupMembersAsync(new GroupMembersQuery(accountId, groupIds, excludedContactIds, after, pageSize), cancellationToken);
        return new ContactPage(page.Data.ConvertAll(c => c.ToDirectoryContact()), page.Next);
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
