using System.Text.Json.Nodes;
using Turumba.Simulator.Faults;

namespace Turumba.Simulator.Telegram;

/// <summary>The Bot API surface (<c>/bot{token}/{method}</c>, JSON, form or query parameters) and the simulator's control API.</summary>
internal sealed class TelegramEndpoints : ISimulatedProvider
{
    public string Summary => "Telegram Bot API at /bot{token}/{method}, control at /_sim/telegram/*";

    public void AddServices(IServiceCollection services) => services.AddSingleton<TelegramSimulator>();

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapMethods("/bot{token}/{method}", ["GET", "POST"], async (string token, string method, HttpRequest request, TelegramSimulator telegram) =>
        {
            var parameters = await ReadParametersAsync(request);
            var (status, body) = await telegram.HandleAsync(token, method, parameters);
            return Results.Json(body, statusCode: status);
        });

        var control = app.MapGroup("/_sim/telegram");
        control.MapGet("/requests", (TelegramSimulator telegram, string? method) =>
            Results.Json(method is null ? telegram.Requests : telegram.RequestsFor(method)));
        control.MapDelete("/requests", (TelegramSimulator telegram) =>
        {
            telegram.Reset();
            return Results.NoContent();
        });
        control.MapPut("/faults", (TelegramSimulator telegram, FaultsRequest faults) =>
        {
            faults.ApplyTo(telegram.Faults);
            return Results.NoContent();
        });
        control.MapPost("/updates", async (TelegramSimulator telegram, InboundRequest inbound, CancellationToken cancellationToken) =>
        {
            var update = inbound.Update ?? telegram.TextUpdate(inbound.ChatId ?? 123456789, inbound.Text ?? "Hello", inbound.FirstName ?? "Abebe");
            var status = await telegram.DeliverUpdateAsync(inbound.Token, update, cancellationToken);
            return Results.Json(new { webhook_status = status, update });
        });
    }

    private static async Task<JsonObject> ReadParametersAsync(HttpRequest request)
    {
        var parameters = new JsonObject();
        foreach (var (key, value) in request.Query)
        {
            parameters[key] = value.ToString();
        }

        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync())
            {
                parameters[key] = value.ToString();
            }
        }
        else if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            if (await JsonNode.ParseAsync(request.Body) is JsonObject body)
            {
                foreach (var (key, value) in body)
                {
                    parameters[key] = value?.DeepClone();
                }
            }
        }

        return parameters;
    }

    internal sealed record InboundRequest(string Token, long? ChatId, string? Text, string? FirstName, JsonObject? Update);
}
