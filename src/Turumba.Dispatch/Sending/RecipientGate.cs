using Turumba.Channels;
using Turumba.Contacts;
using Turumba.Messaging;
using Turumba.Platform.Addresses;

namespace Turumba.Dispatch.Sending;

/// <summary>
/// What a round's claimed messages must pass before any provider call: a phone channel's address
/// must be a phone number (sent in E.164), and no address may be on the account's suppression list.
/// One suppression query per round, for all its addresses; a message that does not pass ends
/// <c>failed</c> (<c>invalid_phone_number</c>, <c>suppressed</c>) without reaching the provider.
/// </summary>
internal sealed class RecipientGate(ISuppressionList suppressions)
{
    public const string Suppressed = "suppressed";
    public const string InvalidPhoneNumber = "invalid_phone_number";

    public async Task<(List<MessageForDispatch> Sendable, List<(MessageForDispatch Message, DispatchOutcome Outcome)> Refused)> SplitAsync(
        ChannelSnapshot channel, IReadOnlyList<MessageForDispatch> claimed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sendable = new List<MessageForDispatch>(claimed.Count);
        var refused = new List<(MessageForDispatch, DispatchOutcome)>();
        if (claimed.Count == 0)
        {
            return (sendable, refused);
        }

        // Each address is normalised once (libphonenumber on phone channels): that spelling is what is
        // sent and what the suppression list is looked up by.
        var phone = DeliveryAddresses.IsPhoneChannel(channel.ChannelType);
        var addressed = new List<(MessageForDispatch Message, string Address)>(claimed.Count);
        foreach (var message in claimed)
        {
            var address = DeliveryAddresses.Normalize(channel.ChannelType, message.DeliveryAddress);
            if (address is null)
            {
                refused.Add((message, DispatchOutcome.Failed(message, MessageStatus.Failed, 0, InvalidPhoneNumber,
                    $"'{message.DeliveryAddress}' is not an international phone number (E.164).", now)));
                continue;
            }

            addressed.Add((phone ? message with { DeliveryAddress = address } : message, address));
        }

        var listed = await suppressions.SuppressedAsync(channel.AccountId, channel.ChannelType, addressed.Select(a => a.Address).ToList(), cancellationToken);
        foreach (var (message, address) in addressed)
        {
            if (listed.Contains(address))
            {
                refused.Add((message, DispatchOutcome.Failed(message, MessageStatus.Failed, 0, Suppressed,
                    "The address is on the account's suppression list; no provider call was made.", now)));
            }
            else
            {
                sendable.Add(message);
            }
        }

        return (sendable, refused);
    }
}
