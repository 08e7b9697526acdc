using MassTransit;
using Microsoft.EntityFrameworkCore;
using Turumba.Channels;
using Turumba.Contacts;
using Turumba.Contracts;
using Turumba.Messaging.Templates;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages.Create;

/// <summary>The one place a single outbound message is composed: the API's create and the scheduling trigger use it.</summary>
internal sealed class SingleSends(IChannelCatalog channels, IContactDirectory directory, ITemplateCatalog templates, TimeProvider clock) : ISingleSends
{
    public async Task<Guid> AddQueuedAsync(TurumbaDbContext db, ISendEndpointProvider sendEndpoints, SingleSend send, CancellationToken cancellationToken) =>
        (await AddAsync(db, sendEndpoints, send, scheduledAt: null, cancellationToken)).Id;

    /// <summary>
    /// Queued with its dispatch command, or <c>scheduled</c> (no command: the scheduling role releases it) when <paramref name="scheduledAt"/> is in the future.
    /// A message that would reach its recipient inside the channel's quiet hours waits queued with <c>deferred_until</c> (no command either).
    /// </summary>
    public async Task<Message> AddAsync(
        TurumbaDbContext db, ISendEndpointProvider sendEndpoints, SingleSend send, DateTimeOffset? scheduledAt, CancellationToken cancellationToken)
    {
        var channel = await channels.FindAsync(send.ChannelId, cancellationToken);
        if (channel is null || channel.AccountId != send.AccountId)
        {
            throw RequestValidationException.For("channel_id", $"No channel with id {send.ChannelId}.");
        }

        if (!channel.IsEnabled)
        {
            throw new ConflictException("The channel is disabled; enable it before sending.", new { field = "channel_id" });
        }

        var contact = await ContactAsync(send, cancellationToken);
        // A blank delivery_address is no address: the contact's is used (the validator refused it without a contact).
        var address = (string.IsNullOrWhiteSpace(send.DeliveryAddress) ? null : send.DeliveryAddress.Trim()) ?? contact?.AddressFor(channel.ChannelType)
            ?? throw RequestValidationException.For("contact_id", $"The contact has no address for {channel.ChannelType}.");
        var (body, original, template) = await BodyAsync(db, send, contact, cancellationToken);

        var now = clock.GetUtcNowForDatabase();
        var scheduled = scheduledAt is { } at && at > now;
        // Checked here, not at dispatch, so a message for the night costs no dispatch work until it may go.
        var deferredUntil = send.IgnoreQuietHours ? null : channel.QuietHours?.EndIfInside(scheduled ? scheduledAt!.Value : now, contact?.Timezone);
        var message = new Message
        {
            Id = Guid.CreateVersion7(now),
            CreatedAt = now,
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
        if (channel.ChannelType == Platform.ChannelTypes.WhatsApp && template?.ProviderTemplate is { } link)
        {
            LinkProviderTemplate(message, template, link, send, contact);
        }

        db.Add(message);
        if (!scheduled && deferredUntil is null)
        {
            var endpoint = await sendEndpoints.GetSendEndpoint(DispatchQueues.AddressFor(channel.ChannelType));
            await endpoint.Send(new DispatchMessage(message.Id, message.CreatedAt, send.AccountId, channel.Id, channel.ChannelType), cancellationToken);
        }

        return message;
    }

    private async Task<DirectoryContact?> ContactAsync(SingleSend send, CancellationToken cancellationToken)
    {
        if (send.ContactId is not { } contactId)
        {
            return null;
        }

        var found = await directory.GetContactsAsync(send.AccountId, [contactId], cancellationToken);
        return found.Count == 1 ? found[0] : throw RequestValidationException.For("contact_id", $"No contact with id {contactId}.");
    }

    /// <summary>
    /// The approved WhatsApp template goes with the message, for when the customer-service window is
    /// closed at dispatch; one that is not approved is refused now, before any provider call.
    /// </summary>
    private static void LinkProviderTemplate(Message message, TemplateSnapshot template, ProviderTemplateLink link, SingleSend send, DirectoryContact? contact)
    {
        if (!link.Approved)
        {
            throw RequestValidationException.For("template_id",
                $"The template's WhatsApp template '{link.Name}' is {link.ApprovalStatus}, not approved: it cannot be sent until Meta approves it.");
        }

        message.Metadata["provider_template_name"] = link.Name;
        if (link.Language is { Length: > 0 } language)
        {
            message.Metadata["provider_template_language"] = language;
        }

        message.Metadata["provider_template_parameters"] =
            System.Text.Json.JsonSerializer.Serialize(template.VariableValues(TemplateRenderer.CaseInsensitive(send.CustomValues), contact));
    }

    private async Task<(string Body, string? Original, TemplateSnapshot? Template)> BodyAsync(
        TurumbaDbContext db, SingleSend send, DirectoryContact? contact, CancellationToken cancellationToken)
    {
        if (send.TemplateId is not { } templateId)
        {
            return (send.MessageBody!, null, null);
        }

        // Explicit account rather than the query filter: the trigger has no request to take it from.
        var template = await templates.GetAsync(db, send.AccountId, templateId, cancellationToken)
            ?? throw RequestValidationException.For("template_id", $"No template with id {templateId}.");
        var rendered = template.Render(TemplateRenderer.CaseInsensitive(send.CustomValues), contact);
        return rendered.Skipped
            ? throw RequestValidationException.For("template_id",
                $"The template's fallback is skip_contact and these values are missing: {string.Join(", ", rendered.Missing)}.")
            : (rendered.Text!, template.Body, template);
    }
}
