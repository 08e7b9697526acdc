using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Channels;
using Turumba.Contacts;
using Turumba.Contracts;
using Turumba.Messaging.Templates;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;
using Turumba.Platform.Tenancy;

namespace Turumba.Messaging.Messages.Create;

/// <summary>
/// <c>POST /v1/messages</c>: stores the message as queued and sends its dispatch command in the
/// same transaction (bus outbox); a future <c>scheduled_at</c> stores it as scheduled instead.
/// </summary>
internal static class CreateMessageEndpoint
{
    public static async Task<IResult> HandleAsync(
        CreateMessageRequest request,
        TurumbaDbContext db,
        ICurrentAccount account,
        IChannelCatalog channels,
        IContactDirectory directory,
        ISendEndpointProvider sendEndpoints,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var accountId = account.RequiredAccountId;
        var channel = await channels.FindAsync(request.ChannelId!.Value, cancellationToken);
        if (channel is null || channel.AccountId != accountId)
        {
            throw RequestValidationException.For("channel_id", $"No channel with id {request.ChannelId}.");
        }

        if (!channel.IsEnabled)
        {
            throw new ConflictException("The channel is disabled; enable it before sending.", new { field = "channel_id" });
        }

        var contact = await ContactAsync(request, directory, accountId, cancellationToken);
        // A blank delivery_address is no address: the contact's is used (the validator refused it without a contact).
        var address = (string.IsNullOrWhiteSpace(request.DeliveryAddress) ? null : request.DeliveryAddress.Trim()) ?? contact?.AddressFor(channel.ChannelType)
            ?? throw RequestValidationException.For("contact_id", $"The contact has no address for {channel.ChannelType}.");
        var (body, original) = await BodyAsync(request, db, contact, cancellationToken);

        var now = clock.GetUtcNowForDatabase();
        var scheduled = request.ScheduledAt is { } at && at > now;
        var metadata = request.Metadata?.DeepClone().AsObject() ?? [];
        if (request.MediaUrl is not null)
        {
            metadata["media_url"] = request.MediaUrl;
            metadata["media_type"] = request.MediaType;
        }

        var message = new Message
        {
            Id = Guid.CreateVersion7(now),
            CreatedAt = now,
            AccountId = accountId,
            ChannelId = channel.Id,
            ContactId = contact?.Id,
            TemplateId = request.TemplateId,
            Direction = MessageDirection.Outbound,
            Status = scheduled ? MessageStatus.Scheduled : MessageStatus.Queued,
            DeliveryAddress = address,
            MessageBody = body,
            OriginalTemplate = original,
            ScheduledAt = request.ScheduledAt,
            Metadata = metadata,
        };
        db.Add(message);
        if (!scheduled)
        {
            var endpoint = await sendEndpoints.GetSendEndpoint(DispatchQueues.AddressFor(channel.ChannelType));
            await endpoint.Send(new DispatchMessage(message.Id, message.CreatedAt, accountId, channel.Id, channel.ChannelType), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created($"/v1/messages/{message.Id}", MessageResponse.From(message));
    }

    private static async Task<DirectoryContact?> ContactAsync(
        CreateMessageRequest request, IContactDirectory directory, Guid accountId, CancellationToken cancellationToken)
    {
        if (request.ContactId is not { } contactId)
        {
            return null;
        }

        var found = await directory.GetContactsAsync(accountId, [contactId], cancellationToken);
        return found.Count == 1 ? found[0] : throw RequestValidationException.For("contact_id", $"No contact with id {contactId}.");
    }

    private static async Task<(string Body, string? Original)> BodyAsync(
        CreateMessageRequest request, TurumbaDbContext db, DirectoryContact? contact, CancellationToken cancellationToken)
    {
        if (request.TemplateId is not { } templateId)
        {
            return (request.MessageBody!, null);
        }

        var template = await db.Set<Template>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, cancellationToken)
            ?? throw RequestValidationException.For("template_id", $"No template with id {templateId}.");
        var rendered = TemplateRenderer.Render(template.Compile(), template.FallbackStrategy, new RenderValues(
            TemplateRenderer.CaseInsensitive(request.CustomValues), contact, TemplateRenderer.CaseInsensitive(template.DefaultValues)));
        return rendered.Skipped
            ? throw RequestValidationException.For("template_id",
                $"The template's fallback is skip_contact and these values are missing: {string.Join(", ", rendered.Missing)}.")
            : (rendered.Text!, template.Body);
    }
}
