using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Channels;
using Turumba.Contacts;
using Turumba.Platform;
using Turumba.Platform.Api;
using Turumba.Platform.Text;
using Turumba.Platform.Persistence;
using Turumba.Platform.Tenancy;

namespace Turumba.Messaging.Templates.Preview;

internal sealed record PreviewTemplateRequest(Guid? ContactId, Dictionary<string, string>? CustomValues, string? ChannelType, Guid? ChannelId = null);

/// <summary>
/// The rendering; on SMS channel types (sms, smpp) also its encoding and segment count, as the send would go; with a
/// channel that has a customer-service window (whatsapp, messenger) and a contact with an address on it, how the
/// message would go if sent now (<see cref="SendAs"/>: free_form, template, or fails outside the window).
/// </summary>
internal sealed record PreviewTemplateResponse(
    string? Text, bool Skipped, IReadOnlyList<string> MissingVariables, string? DeliveryAddress, SmsSegments? Sms, WindowedSend? SendAs = null);

/// <summary><c>POST /v1/templates/{id}/preview</c>: renders the template as a send would, without sending.</summary>
internal static class PreviewTemplateEndpoint
{
    public static async Task<IResult> HandleAsync(
        Guid id, PreviewTemplateRequest request, TurumbaDbContext db, IContactDirectory directory, ICurrentAccount account,
        IChannelCatalog channels, ChannelAdapterRegistry adapters, IChannelTemplates synced, IMessageStore messages, CancellationToken cancellationToken)
    {
        var template = await db.Set<Template>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
            ?? throw NotFoundException.For("template", id);
        DirectoryContact? contact = null;
        if (request.ContactId is { } contactId)
        {
            var found = await directory.GetContactsAsync(account.RequiredAccountId, [contactId], cancellationToken);
            contact = found.Count == 1 ? found[0] : throw RequestValidationException.For("contact_id", $"No contact with id {contactId}.");
        }

        ChannelSnapshot? channel = null;
        if (request.ChannelId is { } channelId)
        {
            channel = await channels.FindAsync(channelId, cancellationToken);
            if (channel is null || channel.AccountId != account.RequiredAccountId)
            {
                throw RequestValidationException.For("channel_id", $"No channel with id {channelId}.");
            }
        }

        var snapshot = template.Snapshot();
        var custom = TemplateRenderer.CaseInsensitive(request.CustomValues);
        var result = snapshot.Render(custom, contact);
        var channelType = channel?.ChannelType ?? request.ChannelType ?? template.ChannelType;
        var address = channelType is null ? null : contact?.AddressFor(channelType);
        var sms = channelType is ChannelTypes.Sms or ChannelTypes.Smpp && result.Text is not null ? SmsEncoding.Measure(result.Text) : null;
        WindowedSend? sendAs = null;
        if (channel is not null && address is not null && !result.Skipped
            && adapters.TryResolve(channel.ChannelType, channel.Provider) is { UsesCustomerWindow: true } adapter)
        {
            // Decided as the group estimate and dispatch decide: the window as recorded, the template's WABA status as synced.
            var linked = channel.ChannelType == ChannelTypes.WhatsApp
                && (await synced.WithSyncedStatusAsync(channel, snapshot, cancellationToken))?.ProviderTemplate is { Approved: true };
            var windows = await messages.LastInboundAtAsync(channel.Id, [address], cancellationToken);
            sendAs = adapter.PredictSend(windows.TryGetValue(address, out var last) ? last : null, linked, channel.Credentials);
        }

        return ApiResults.Ok(new PreviewTemplateResponse(result.Text, result.Skipped, result.Missing, address, sms, sendAs));
    }
}
