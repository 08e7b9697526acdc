using Microsoft.AspNetCore.Http;
using Turumba.Platform;
using Turumba.Platform.Addresses;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;
using Turumba.Platform.Tenancy;

namespace Turumba.Contacts.Suppressions.Add;

/// <summary>
/// <c>POST /v1/suppressions</c>: 201 with the new suppression, or 200 with the one already there for
/// the same address and channel type (left as it was): adding twice is not an error.
/// </summary>
internal static class AddSuppressionEndpoint
{
    public const string ApiSource = "api";

    public static async Task<IResult> HandleAsync(
        AddSuppressionRequest request, SuppressionWriter writer, ICurrentAccount account, TimeProvider clock, CancellationToken cancellationToken)
    {
        var channelType = request.ChannelType ?? DeliveryAddresses.AllChannels;
        var address = DeliveryAddresses.Normalize(channelType, request.Address!)
            ?? throw RequestValidationException.For("address", "address " + E164.Rule);
        var (suppression, created) = await writer.AddAsync(
            account.RequiredAccountId, channelType, address, SuppressionReasons.Parse(request.Reason) ?? SuppressionReason.Manual,
            string.IsNullOrWhiteSpace(request.Source) ? ApiSource : request.Source.Trim(), clock.GetUtcNowForDatabase(), cancellationToken);
        var response = SuppressionResponse.From(suppression);
        return created
            ? ApiResults.Created($"/v1/suppressions/{suppression.Id}", response)
            : ApiResults.Ok(response, "The address was already suppressed; nothing changed.");
    }
}
