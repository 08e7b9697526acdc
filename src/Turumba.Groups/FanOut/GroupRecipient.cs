using Turumba.Contacts;
using Turumba.Messaging;
using Turumba.Platform.Addresses;

namespace Turumba.Groups.FanOut;

/// <summary>What a group send does with one member: leaves it out as suppressed, skips it, or sends it a text at an address.</summary>
internal enum GroupRecipientFate
{
    Send,
    Skipped,
    Suppressed,
}

/// <summary>
/// One member's part in a group send, decided the same way for the fan-out and the estimate:
/// suppressed members are left out; members with no address on the channel, or whose rendering the
/// template's fallback skips, are skipped; the rest get the rendered text (phone addresses in E.164)
/// and, on WhatsApp, the linked approved template in their metadata.
/// </summary>
internal readonly record struct GroupRecipient(GroupRecipientFate Fate, string? Address, string? Text, System.Text.Json.Nodes.JsonObject? Metadata = null)
{
    /// <summary>The member's message carries a provider template to send outside the customer-service window.</summary>
    public bool TemplateLinked => Metadata?.ContainsKey("provider_template_name") == true;

    public static GroupRecipient Of(DirectoryContact contact, string channelType, TemplateSnapshot template, Dictionary<string, string> custom)
    {
        if (contact.Suppressed)
        {
            return new GroupRecipient(GroupRecipientFate.Suppressed, null, null);
        }

        var address = contact.AddressFor(channelType);
        if (address is null)
        {
            return new GroupRecipient(GroupRecipientFate.Skipped, null, null);
        }

        if (DeliveryAddresses.IsPhoneChannel(channelType))
        {
            address = E164.Normalize(address) ?? address;
        }

        var rendered = template.Render(custom, contact);
        if (rendered.Skipped)
        {
            return new GroupRecipient(GroupRecipientFate.Skipped, null, null);
        }

        // An email template's subject and HTML body, rendered for the member as the message's metadata.
        System.Text.Json.Nodes.JsonObject? metadata = null;
        if (channelType == Platform.ChannelTypes.Email && (template.Subject is not null || template.HtmlBody is not null))
        {
            metadata = [];
            if (!template.AddEmailParts(metadata, custom, contact))
            {
                return new GroupRecipient(GroupRecipientFate.Skipped, null, null);
            }
        }

        // WhatsApp: the linked approved template goes with the member's message, as with a single send (decision 47).
        if (channelType == Platform.ChannelTypes.WhatsApp && template.ProviderTemplate is { Approved: true })
        {
            metadata ??= [];
            template.AddProviderTemplate(metadata, custom, contact);
        }

        return new GroupRecipient(GroupRecipientFate.Send, address, rendered.Text, metadata);
    }
}
