using Turumba.Simulator.Faults;

namespace Turumba.Simulator.Twilio;

/// <summary>The 2010-04-01 REST surface (Accounts, Messages; form-encoded, basic auth) and the simulator's control API.</summary>
internal sealed class TwilioEndpoints : ISimulatedProvider
{
    public string Summary => "Twilio REST API at /2010-04-01/Accounts/{sid}, control at /_sim/twilio/*";

    public void AddServices(IServiceCollection services) => services.AddSingleton<TwilioSimulator>();

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapGet("/2010-04-01/Accounts/{sid}.json", async (string sid, HttpRequest request, TwilioSimulator twilio) =>
            Answer(request, await twilio.FetchAccountAsync(sid, request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null)));

        app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", async (string sid, HttpRequest request, TwilioSimulator twilio) =>
        {
            var form = request.HasFormContentType
                ? (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
            return Answer(request, await twilio.CreateMessageAsync(sid, request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, form));
        }).DisableAntiforgery();

        var control = app.MapGroup("/_sim/twilio");
        control.MapGet("/requests", (TwilioSimulator twilio) => Results.Json(twilio.Requests));
        control.MapGet("/callbacks", (TwilioSimulator twilio) => Results.Json(twilio.Callbacks));
        control.MapDelete("/requests", (TwilioSimulator twilio) =>
        {
            twilio.Reset();
            return Results.NoContent();
        });
        control.MapPut("/faults", (TwilioSimulator twilio, FaultsRequest faults) =>
        {
            faults.ApplyTo(twilio.Faults);
            if (faults.Outcome is { } outcome)
            {
                twilio.Outcome = Enum.Parse<TwilioOutcome>(outcome, ignoreCase: true);
            }

            return Results.NoContent();
        });
        control.MapPost("/inbound", async (TwilioSimulator twilio, InboundRequest inbound, CancellationToken cancellationToken) =>
        {
            var callback = await twilio.DeliverInboundAsync(inbound.AccountSid, inbound.From ?? "+15005550006", inbound.To ?? "+15005550006",
                inbound.Body ?? "Hello", inbound.MediaUrls, inbound.Url, cancellationToken);
            return Results.Json(new { webhook_status = callback.StatusCode, webhook_response = callback.ResponseBody, parameters = callback.Parameters });
        });
    }

    private static IResult Answer(HttpRequest request, (int Status, System.Text.Json.Nodes.JsonObject Body, int? RetryAfter) answer)
    {
        if (answer.RetryAfter is { } seconds)
        {
            request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Results.Json(answer.Body, statusCode: answer.Status);
    }

    internal sealed record InboundRequest(string AccountSid, string? From, string? To, string? Body, List<string>? MediaUrls, string? Url);
}
