using System.Text.Json.Nodes;
using Turumba.Simulator.Faults;

namespace Turumba.Simulator.Meta;

/// <summary>The WhatsApp Cloud API on the Graph API's paths (<c>/{version}/…</c>, bearer token, JSON) and the simulator's controls.</summary>
internal sealed class WhatsAppEndpoints : ISimulatedProvider
{
    public string Summary => "WhatsApp Cloud API at /{version}/{phone_number_id}[/messages], /{version}/{waba_id}/message_templates, control at /_sim/whatsapp/*; the Graph routes also serve Messenger (/{version}/{page_id}?fields=id,name, /{version}/me/messages)";

    public void AddServices(IServiceCollection services) => services.AddSingleton<WhatsAppSimulator>();

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        // The slim host has no regex route constraint: the version is checked in the handlers.
        var graph = app.MapGroup("/{version}");
        // One Graph API: a node fetch asking for a page's name is Messenger's page, anything else a WhatsApp number.
        graph.MapGet("/{id}", (string version, string id, HttpRequest request, WhatsAppSimulator whatsapp, MessengerSimulator messenger) =>
            !IsVersion(version) ? Results.NotFound()
            : MessengerSimulator.IsPageFetch(request.Query["fields"]) ? Answer(messenger.FetchPage(request.Path, id, Authorization(request)))
            : Answer(whatsapp.FetchNumber(request.Path, id, Authorization(request))));
        graph.MapGet("/{waba}/message_templates", (string version, string waba, HttpRequest request, WhatsAppSimulator whatsapp) =>
            IsVersion(version)
                ? Answer(whatsapp.ListTemplates(request.Path, waba, Authorization(request),
                    int.TryParse(request.Query["limit"], System.Globalization.CultureInfo.InvariantCulture, out var limit) ? limit : null, request.Query["after"]))
                : Results.NotFound());
        graph.MapPost("/{id}/messages", async (string version, string id, HttpRequest request, WhatsAppSimulator whatsapp, MessengerSimulator messenger) =>
        {
            if (!IsVersion(version))
            {
                return Results.NotFound();
            }

            JsonObject? body;
            try
            {
                body = await JsonNode.ParseAsync(request.Body) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                body = null;
            }

            // Messenger's Send API is /me/messages: the page is the one the page access token belongs to.
            return id == "me"
                ? Answer(await messenger.SendAsync(request.Path, Authorization(request), body))
                : Answer(await whatsapp.SendAsync(request.Path, id, Authorization(request), body));
        });

        var control = app.MapGroup("/_sim/whatsapp");
        control.MapGet("/requests", (WhatsAppSimulator whatsapp) => Results.Json(whatsapp.Requests));
        control.MapGet("/callbacks", (WhatsAppSimulator whatsapp) => Results.Json(whatsapp.Callbacks));
        control.MapDelete("/requests", (WhatsAppSimulator whatsapp) =>
        {
            whatsapp.Reset();
            return Results.NoContent();
        });
        control.MapPut("/faults", (WhatsAppSimulator whatsapp, FaultsRequest faults) =>
        {
            faults.ApplyTo(whatsapp.Faults);
            whatsapp.ReportDelivered = faults.Outcome is not "silent" and not "sent";
            return Results.NoContent();
        });
        control.MapPost("/subscribe", async (WhatsAppSimulator whatsapp, SubscribeRequest subscribe, CancellationToken cancellationToken) =>
        {
            var callback = await whatsapp.SubscribeAsync(subscribe.PhoneNumberId, subscribe.CallbackUrl, subscribe.VerifyToken, subscribe.AppSecret, cancellationToken);
            return Results.Json(new { handshake_status = callback.StatusCode, handshake_response = callback.ResponseBody });
        });
        control.MapPost("/inbound", async (WhatsAppSimulator whatsapp, InboundRequest inbound, CancellationToken cancellationToken) =>
        {
            var callback = await whatsapp.DeliverInboundAsync(inbound.PhoneNumberId, inbound.From, inbound.Name ?? "Customer", inbound.Text ?? "Hello", cancellationToken);
            return Results.Json(new { webhook_status = callback.StatusCode, webhook_response = callback.ResponseBody, body = callback.Body });
        });
        control.MapPost("/status", async (WhatsAppSimulator whatsapp, StatusRequest status, CancellationToken cancellationToken) =>
        {
            var callback = await whatsapp.DeliverStatusAsync(status.PhoneNumberId, status.MessageId, status.Recipient, status.Status, status.ErrorCode, cancellationToken);
            return Results.Json(new { webhook_status = callback.StatusCode, webhook_response = callback.ResponseBody });
        });
    }

    internal static bool IsVersion(string version) =>
        version.Length > 1 && version[0] == 'v' && version[1..].Split('.') is [var major, var minor] && major.All(char.IsAsciiDigit) && minor.All(char.IsAsciiDigit);

    /// <summary>The bearer header, or the <c>access_token</c> parameter the Graph API also takes.</summary>
    internal static string? Authorization(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { Length: > 0 } a ? a
        : request.Query["access_token"].ToString() is { Length: > 0 } t ? "Bearer " + t
        : null;

    internal static IResult Answer((int Status, JsonObject Body) answer) => Results.Json(answer.Body, statusCode: answer.Status);

    internal sealed record SubscribeRequest(string PhoneNumberId, string CallbackUrl, string VerifyToken, string AppSecret);

    internal sealed record InboundRequest(string PhoneNumberId, string From, string? Name, string? Text);

    internal sealed record StatusRequest(string PhoneNumberId, string MessageId, string Recipient, string Status, int? ErrorCode);
}
