using Turumba.Channels;
using Turumba.Contacts;
using Turumba.Messaging;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Scheduling.ScheduledMessages;

/// <summary>What a schedule points at must exist in the caller's account when it is saved (the trigger checks again at each run).</summary>
internal sealed class ScheduleReferences(IChannelCatalog channels, ChannelAdapterRegistry adapters, IContactDirectory directory, ITemplateCatalog templates)
{
    public async Task ThrowIfMissingAsync(TurumbaDbContext db, Guid accountId, ScheduleFields fields, CancellationToken cancellationToken)
    {
        var channel = await channels.FindAsync(fields.ChannelId!.Value, cancellationToken);
        if (channel is null || channel.AccountId != accountId)
        {
            throw RequestValidationException.For("channel_id", $"No channel with id {fields.ChannelId}.");
        }

        adapters.ThrowIfCannotSend(channel);

        if (fields.TemplateId is { } templateId && await templates.GetAsync(db, accountId, templateId, cancellationToken) is null)
        {
            throw RequestValidationException.For("template_id", $"No template with id {templateId}.");
        }

        if (fields.SendType == SendType.Single && fields.ContactId is { } contactId
            && (await directory.GetContactsAsync(accountId, [contactId], cancellationToken)).Count == 0)
        {
            throw RequestValidationException.For("contact_id", $"No contact with id {contactId}.");
        }

        if (fields.SendType == SendType.Group)
        {
            var missing = await directory.MissingGroupsAsync(accountId, fields.ContactGroupIds!, cancellationToken);
            if (missing.Count > 0)
            {
                throw RequestValidationException.For("contact_group_ids", $"No contact group with id {string.Join(", ", missing)}.");
            }
        }
    }
}
