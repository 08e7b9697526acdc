namespace Turumba.Contacts;

/// <summary>
/// The account's suppression list, as senders ask it: which of these addresses must not be
/// messaged on this channel type (a suppression for the type itself or for <c>all</c>)?
/// Addresses are compared as <see cref="Platform.Addresses.DeliveryAddresses.ForLookup"/> spells them.
/// </summary>
public interface ISuppressionList
{
    Task<IReadOnlySet<string>> SuppressedAsync(Guid accountId, string channelType, IReadOnlyCollection<string> addresses, CancellationToken cancellationToken);
}
