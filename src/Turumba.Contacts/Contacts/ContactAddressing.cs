using Turumba.Platform.Addresses;

namespace Turumba.Contacts.Contacts;

/// <summary>
/// Phone numbers as stored: E.164, whatever spacing the caller used, so the unique phone index,
/// import matching, inbound lookup and the suppression list all compare one spelling.
/// Runs after validation, which refused what cannot be normalised.
/// </summary>
internal static class ContactAddressing
{
    public static string? Phone(string? phone) => phone is null or "" ? phone : E164.Normalize(phone) ?? phone;

    public static Dictionary<string, string>? Addresses(Dictionary<string, string>? addresses) =>
        addresses?.ToDictionary(p => p.Key, p => DeliveryAddresses.IsPhoneChannel(p.Key) ? E164.Normalize(p.Value) ?? p.Value : p.Value);
}
