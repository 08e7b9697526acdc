using System.Text.Json;
using Refit;

namespace Turumba.Adapters.Telegram;

internal static class TelegramJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static readonly RefitSettings Settings = new() { ContentSerializer = new SystemTextJsonContentSerializer(Options) };
}
