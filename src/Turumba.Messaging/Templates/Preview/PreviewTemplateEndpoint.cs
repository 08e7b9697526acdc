using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Contacts;
using Turumba.Platform;
using Turumba.Platform.Api;
using Turumba.Platform.Text;
using Turumba.Platform.Persistence;
using Turumba.Platform.Tenancy;

namespace Turumba.Messaging.Templates.Preview;

internal sealed record PreviewTemplateRequest(Guid? ContactId, Dictionary<string, string>? CustomValues, string? ChannelType);

/// <summary>The rendering; on SMS channel types (sms, smpp) also its encoding and segment count, as the send would go.</summary>
internal sealed record PreviewTemplateResponse(string? Text, bool Skipped, IReadOnlyList<string> MissingVariables, string? DeliveryAddress, SmsSegments? Sms);

/// <summary><c>POST /v1/templates/{id}/preview</c>: renders the template as a send would, without sending.</summary>
internal static class PreviewTemplateEndpoint
{
    public static async Task<IResult> HandleAsync(
        Guid id, PreviewTemplateRequest request, TurumbaDbContext db, IContactDirectory directory, ICurrentAccount account, CancellationToken cancellationToken)
    {
        var template = await db.Set<Template>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
            ?? throw NotFoundException.For("template", id);
        DirectoryContact? contact = null;
        if (request.ContactId is { } contactId)
        {
            var found = await directory.GetContactsAsync(account.RequiredAccountId, [contactId], cancellationToken);
            contact = found.Count == 1 ? found[0] : throw RequestValidationException.For("contact_id", $"No contact with id {contactId}.");
        }

        var result = template.Snapshot().Render(TemplateRenderer.CaseInsensitive(request.CustomValues), contact);
        var channelType = request.ChannelType ?? template.ChannelType;
        var address = channelType is null ? null : contact?.AddressFor(channelType);
        var sms = channelType is ChannelTypes.Sms or ChannelTypes.Smpp && result.Text is not null ? SmsEncoding.Measure(result.Text) : null;
        return ApiResults.Ok(new PreviewTemplateResponse(result.Text, result.Skipped, result.Missing, address, sms));
    }
}
