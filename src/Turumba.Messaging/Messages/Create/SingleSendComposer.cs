using Turumba.Channels;
using Turumba.Contacts;
using Turumba.Messaging.Templates;
using Turumba.Platform.Addresses;
using Turumba.Platform.Api;

namespace Turumba.Messaging.Messages.Create;

/// <summary>
/// A single send's message from what was looked up for it (the channel, the contact, the template;
/// null when not found), with the API's validation in the API's order: one send or a batch, the same errors.
/// </summary>
internal static class SingleSendComposer
{
    public static Message Compose(
        SingleSend send, ChannelSnapshot? channel, ChannelAdapterRegistry adapters, DirectoryContact? contact, TemplateSnapshot? template, DateTimeOffset now, DateTimeOffset? scheduledAt)
    {
        if (channel is null || channel.AccountId != send.AccountId)
        {
            throw RequestValidationException.For("channel_id", $"No channel with id {send.ChannelId}.");
        }

        if (!channel.IsEnabled)
        {
            throw new ConflictException("The channel is disabled; enable it before sending.", new { field = "channel_id" });
        }

        adapters.ThrowIfCannotSend(channel);

        if (send.ContactId is { } contactId && contact is null)
        {
            throw RequestValidationException.For("contact_id", $"No contact with id {contactId}.");
        }

        // A blank delivery_address is no address: the contact's is used (the validator refused it without a contact).
        var given = string.IsNullOrWhiteSpace(send.DeliveryAddress) ? null : send.DeliveryAddress.Trim();
        var address = given ?? contact?.AddressFor(channel.ChannelType)
            ?? throw RequestValidationException.For("contact_id", $"The contact has no address for {channel.ChannelType}.");
        if (given is not null && DeliveryAddresses.IsPhoneChannel(channel.ChannelType))
        {
            // Refused now rather than failed at dispatch: the caller can still correct it.
            address = DeliveryAddresses.Normalize(channel.ChannelType, given) ?? throw RequestValidationException.For("delivery_address",
                $"'{given}' is not a phone number; a {channel.ChannelType} message needs one in international form, e.g. +251911234567.");
        }
        var (body, original) = Body(send, contact, template);

        var scheduled = scheduledAt is { } at && at > now;
        // Checked here, not at dispatch, so a message for the night costs no dispatch work until it may go.
        var deferredUntil = send.IgnoreQuietHours ? null : channel.QuietHours?.EndIfInside(scheduled ? scheduledAt!.Value : now, contact?.Timezone);
        var message = new Message
        {
            Id = Guid.CreateVersion7(now),
            CreatedAt = now,
            UpdatedAt = now,
            AccountId = send.AccountId,
            ChannelId = channel.Id,
            ContactId = contact?.Id,
            TemplateId = send.TemplateId,
            Direction = MessageDirection.Outbound,
            Status = scheduled ? MessageStatus.Scheduled : MessageStatus.Queued,
            DeliveryAddress = address,
            MessageBody = body,
            OriginalTemplate = original,
            ScheduledAt = scheduledAt,
            DeferredUntil = deferredUntil,
            Metadata = send.Metadata?.DeepClone().AsObject() ?? [],
        };
        if (channel.ChannelType == Platform.ChannelTypes.Email)
        {
            AddEmailParts(message, template, send, contact);
        }

        if (channel.ChannelType == Platform.ChannelTypes.WhatsApp && template?.ProviderTemplate is { } link)
        {
            LinkProviderTemplate(message, template, link, send, contact);
        }

        return message;
    }

    /// <summary>
    /// The approved WhatsApp template goes with the message, for when the customer-service window is
    /// closed at dispatch; one that is not approved is refused now, before any provider call.
    /// </summary>
    private static void LinkProviderTemplate(Message message, TemplateSnapshot template, ProviderTemplateLink link, SingleSend send, DirectoryContact? contact)
    {
        if (!link.Approved)
        {
            throw RequestValidationException.For("template_id", link.NotApprovedReason);
        }

        template.AddProviderTemplate(message.Metadata, TemplateRenderer.CaseInsensitive(send.CustomValues), contact);
    }

    /// <summary>
    /// An email's subject and HTML body from its template (unless the metadata sets them), and its
    /// subject and custom headers checked: a line break in any of them is a 422, never a second header line.
    /// </summary>
    private static void AddEmailParts(Message message, TemplateSnapshot? template, SingleSend send, DirectoryContact? contact)
    {
        if (template is not null && !template.AddEmailParts(message.Metadata, TemplateRenderer.CaseInsensitive(send.CustomValues), contact))
        {
            throw RequestValidationException.For("template_id", "The template's fallback is skip_contact and values its subject or HTML body needs are missing.");
        }

        var subject = message.Metadata["subject"] is { } s ? (s.GetValueKind() == System.Text.Json.JsonValueKind.String ? s.GetValue<string>() : s.ToJsonString()) : null;
        if (string.IsNullOrWhiteSpace(subject))
        {
            throw RequestValidationException.For(template?.Subject is null && send.TemplateId is not null ? "template_id" : "metadata.subject",
                "An email needs a subject: give the template a subject or set metadata.subject.");
        }

        var headers = message.Metadata[EmailHeaders.MetadataKey]?.ToJsonString();
        if (EmailHeaders.Problems(subject, headers).FirstOrDefault() is { Field: { } field } problem)
        {
            throw RequestValidationException.For(field, problem.Message);
        }
    }

    /// <summary>Queued and not deferred: its dispatch command goes with it.</summary>
    public static bool DispatchesNow(Message message) => message is { Status: MessageStatus.Queued, DeferredUntil: null };

    public static NewMessage ToNewMessage(Message m) => new(m.Id, m.AccountId, m.ChannelId, m.ContactId, m.GroupMessageId, m.TemplateId, m.Status,
        m.DeliveryAddress, m.MessageBody, m.OriginalTemplate, m.CreatedAt, m.ScheduledAt, m.DeferredUntil, m.Metadata);

    private static (string Body, string? Original) Body(SingleSend send, DirectoryContact? contact, TemplateSnapshot? template)
    {
        if (send.TemplateId is not { } templateId)
        {
            return (send.MessageBody!, null);
        }

        if (template is null)
        {
            throw RequestValidationException.For("template_id", $"No template with id {templateId}.");
        }

        var rendered = template.Render(TemplateRenderer.CaseInsensitive(send.CustomValues), contact);
        return rendered.Skipped
            ? throw RequestValidationException.For("template_id",
                $"The template's fallback is skip_contact and these values are missing: {string.Join(", ", rendered.Missing)}.")
            : (rendered.Text!, template.Body);
    }
}
