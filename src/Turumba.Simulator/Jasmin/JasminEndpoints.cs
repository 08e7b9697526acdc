using Turumba.Simulator.Faults;

namespace Turumba.Simulator.Jasmin;

/// <summary>Jasmin's HTTP API (<c>/send</c>, <c>/balance</c>; query, form or JSON arguments) and the simulator's control API.</summary>
internal sealed class JasminEndpoints : ISimulatedProvider
{
    public string Summary => "Jasmin HTTP API at /send and /balance, control at /_sim/jasmin/*";

    public void AddServices(IServiceCollection services) => services.AddSingleton<JasminSimulator>();

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapMethods("/send", ["GET", "POST"], async (HttpRequest request, JasminSimulator jasmin) =>
        {
            var (status, body) = await jasmin.SendAsync(await ArgumentsAsync(request));
            return Results.Text(body, "text/plain", statusCode: status);
        }).DisableAntiforgery();
        app.MapGet("/balance", async (HttpRequest request, JasminSimulator jasmin) =>
        {
            var (status, body) = await jasmin.BalanceAsync(await ArgumentsAsync(request));
            return Results.Text(body, "application/json", statusCode: status);
        });

        var control = app.MapGroup("/_sim/jasmin");
        control.MapGet("/requests", (JasminSimulator jasmin) => Results.Json(jasmin.Requests));
        control.MapGet("/callbacks", (JasminSimulator jasmin) => Results.Json(jasmin.Callbacks));
        control.MapDelete("/requests", (JasminSimulator jasmin) =>
        {
            jasmin.Reset();
            return Results.NoContent();
        });
        control.MapPut("/faults", (JasminSimulator jasmin, FaultsRequest faults) =>
        {
            faults.ApplyTo(jasmin.Faults);
            if (faults.Outcome is { } outcome)
            {
                jasmin.Outcome = Enum.Parse<JasminOutcome>(outcome, ignoreCase: true);
            }

            return Results.NoContent();
        });
        control.MapPost("/mo", async (JasminSimulator jasmin, MoRequest mo, CancellationToken cancellationToken) =>
        {
            var callback = await jasmin.DeliverMoAsync(mo.Url, mo.From ?? "+251911000001", mo.To ?? "8000", mo.Content ?? "Hello", cancellationToken);
            return Results.Json(new { webhook_status = callback.StatusCode, webhook_response = callback.ResponseBody, parameters = callback.Parameters });
        });
    }

    private static async Task<Dictionary<string, string>> ArgumentsAsync(HttpRequest request)
    {
        var args = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync())
            {
                args[key] = value.ToString();
            }
        }
        else if (request.ContentType == "application/json"
            && await System.Text.Json.JsonSerializer.DeserializeAsync<Dictionary<string, System.Text.Json.JsonElement>>(request.Body) is { } json)
        {
            foreach (var (key, value) in json)
            {
                args[key] = value.ToString();
            }
        }

        return args;
    }

    internal sealed record MoRequest(string? Url, string? From, string? To, string? Content);
}
