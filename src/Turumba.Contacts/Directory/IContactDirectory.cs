using Turumba.Platform;

namespace Turumba.Contacts;

/// <summary>
/// A contact as senders need it: how to reach it and what to fill templates with. <see cref="Suppressed"/>:
/// its address on the channel type a group walk asked about is on the account's suppression list.
/// </summary>
public sealed record DirectoryContact(
    Guid Id,
    string? FirstName,
    string? LastName,
    string? Phone,
    string? Email,
    IReadOnlyDictionary<string, string> Addresses,
    IReadOnlyDictionary<string, string> Attributes,
    string? PreferredChannel,
    bool Suppressed = false)
{
    /// <summary>
    /// The address for a channel type: <c>addresses[type]</c>, else the phone for sms, smpp and
    /// whatsapp, the email for email; null when the contact cannot be reached on that type.
    /// </summary>
    public string? AddressFor(string channelType) =>
        Addresses.TryGetValue(channelType, out var address) ? address
        : channelType is ChannelTypes.Sms or ChannelTypes.Smpp or ChannelTypes.WhatsApp ? Phone
        : channelType == ChannelTypes.Email ? Email
        : null;

    /// <summary>
    /// The contact's own IANA zone, from its <c>timezone</c> attribute (any letter case); null when it
    /// has none. Whether it names a real zone is for the reader to check (attributes are free text).
    /// </summary>
    public string? Timezone => Attributes.FirstOrDefault(a => string.Equals(a.Key, TimezoneAttribute, StringComparison.OrdinalIgnoreCase)).Value;

    public const string TimezoneAttribute = "timezone";
}

/// <summary>One page of a walk through group members; <see cref="Next"/> is null after the last page.</summary>
public sealed record ContactPage(IReadOnlyList<DirectoryContact> Contacts, Guid? Next);

/// <summary>
/// Where senders read contacts from: the local contacts module, or an external Account API.
/// Pages are keyset-ordered by contact id, so a walk can resume from a saved cursor.
/// </summary>
public interface IContactDirectory
{
    /// <summary>
    /// The distinct contacts that belong to any of <paramref name="groupIds"/>, minus
    /// <paramref name="excludedContactIds"/>, with id greater than <paramref name="after"/>; with
    /// <paramref name="suppressedOn"/> (a channel type), each marked <see cref="DirectoryContact.Suppressed"/>
    /// when its address for that type is on the suppression list.
    /// </summary>
    Task<ContactPage> GetGroupMembersAsync(
        Guid accountId,
        IReadOnlyCollection<Guid> groupIds,
        IReadOnlyCollection<Guid> excludedContactIds,
        Guid? after,
        string? suppressedOn,
        int pageSize,
        CancellationToken cancellationToken);

    Task<IReadOnlyList<DirectoryContact>> GetContactsAsync(Guid accountId, IReadOnlyCollection<Guid> contactIds, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="groupIds"/> the account does not have.</summary>
    Task<IReadOnlyList<Guid>> MissingGroupsAsync(Guid accountId, IReadOnlyCollection<Guid> groupIds, CancellationToken cancellationToken);

    /// <summary>The contact reachable at <paramref name="address"/> on <paramref name="channelType"/>, if any.</summary>
    Task<DirectoryContact?> FindByAddressAsync(Guid accountId, string channelType, string address, CancellationToken cancellationToken);
}
