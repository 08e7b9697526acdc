using System.Text.Json;
using System.Text.Json.Serialization;

namespace Turumba.Adapters.Twilio;

/// <summary>
/// The parts of Twilio's REST answers we read (https://www.twilio.com/docs/messaging/api/message-resource,
/// https://www.twilio.com/docs/iam/api/account). Counts such as <c>num_segments</c> are strings on the wire.
/// </summary>
internal static class TwilioJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}

internal sealed record TwilioMessage(
    string Sid,
    string? Status,
    [property: JsonPropertyName("num_segments")] string? NumSegments,
    [property: JsonPropertyName("num_media")] string? NumMedia);

internal sealed record TwilioAccount(
    string Sid,
    [property: JsonPropertyName("friendly_name")] string? FriendlyName,
    string? Status,
    string? Type);

/// <summary>Every Twilio REST error: <c>{"code": 21211, "message": "…", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}</c>.</summary>
internal sealed record TwilioError(
    int? Code,
    string? Message,
    [property: JsonPropertyName("more_info")] string? MoreInfo,
    int? Status);
