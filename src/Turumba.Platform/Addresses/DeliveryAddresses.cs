namespace Turumba.Platform.Addresses;

/// <summary>
/// The one spelling of an address that suppression lookups compare: E.164 for phone channels
/// (sms, smpp, whatsapp), lower case for email, as given (trimmed) for the rest (a Telegram chat id).
/// </summary>
public static class DeliveryAddresses
{
    /// <summary>The suppression list's channel type that holds for every channel.</summary>
    public const string AllChannels = "all";

    /// <summary>
    /// <paramref name="address"/> normalised for <paramref name="channelType"/>; null when a phone
    /// channel's address is not a phone number. For <see cref="AllChannels"/> an address starting with
    /// <c>+</c> is read as a phone number and one with <c>@</c> as an email.
    /// </summary>
    public static string? Normalize(string channelType, string address)
    {
        var trimmed = address.Trim();
        if (IsPhoneChannel(channelType) || (channelType == AllChannels && trimmed.StartsWith('+')))
        {
            return E164.Normalize(trimmed);
        }

        return channelType == ChannelTypes.Email || (channelType == AllChannels && trimmed.Contains('@'))
            ? trimmed.ToLowerInvariant()
            : trimmed;
    }

    /// <summary>Channel types whose addresses are phone numbers.</summary>
    public static bool IsPhoneChannel(string? channelType) =>
        channelType is ChannelTypes.Sms or ChannelTypes.Smpp or ChannelTypes.WhatsApp;

    /// <summary>As <see cref="Normalize"/>, keeping the address as it is where it cannot be normalised (a lookup still compares it).</summary>
    public static string ForLookup(string channelType, string address) => Normalize(channelType, address) ?? address.Trim();
}
