using Turumba.Simulator.Faults;

namespace Turumba.Simulator.Meta;

/// <summary>
/// Messenger's controls at <c>/_sim/messenger/*</c>. Its Graph API paths (the page fetch,
/// <c>/{version}/me/messages</c>) share the routes <see cref="WhatsAppEndpoints"/> maps, as both are one Graph API.
/// </summary>
internal sealed class MessengerEndpoints : ISimulatedProvider
{
    public string Summary => "Messenger Send API at /{version}/{page_id}?fields=id,name and /{version}/me/messages, control at /_sim/messenger/*";

    public void AddServices(IServiceCollection services) => services.AddSingleton<MessengerSimulator>();

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/_sim/messenger");
        control.MapGet("/requests", (MessengerSimulator messenger) => Results.Json(messenger.Requests));
        control.MapGet("/callbacks", (MessengerSimulator messenger) => Results.Json(messenger.Callbacks));
        control.MapDelete("/requests", (MessengerSimulator messenger) =>
        {
            messenger.Reset();
            return Results.NoContent();
        });
        control.MapPut("/faults", (MessengerSimulator messenger, FaultsRequest faults) =>
        {
            faults.ApplyTo(messenger.Faults);
            messenger.ReportDelivered = faults.Outcome is not "silent" and not "sent";
            return Results.NoContent();
        });
        control.MapPost("/subscribe", async (MessengerSimulator messenger, SubscribeRequest subscribe, CancellationToken cancellationToken) =>
        {
            var callback = await messenger.SubscribeAsync(subscribe.PageId, subscribe.CallbackUrl, subscribe.VerifyToken, subscribe.AppSecret, cancellationToken);
            return Results.Json(new { handshake_status = callback.StatusCode, handshake_response = callback.ResponseBody });
        });
        control.MapPost("/inbound", async (MessengerSimulator messenger, InboundRequest inbound, CancellationToken cancellationToken) =>
        {
            var callback = await messenger.DeliverInboundAsync(inbound.PageId, inbound.Psid, inbound.Text ?? (inbound.AttachmentUrl is null ? "Hello" : null),
                inbound.AttachmentUrl, cancellationToken);
            return Results.Json(new { webhook_status = callback.StatusCode, webhook_response = callback.ResponseBody, body = callback.Body });
        });
        control.MapPost("/delivery", async (MessengerSimulator messenger, ReceiptRequest receipt, CancellationToken cancellationToken) =>
        {
            var callback = await messenger.DeliverDeliveryAsync(receipt.PageId, receipt.Psid, receipt.Mids ?? [], Watermark(receipt), cancellationToken);
            return Results.Json(new { webhook_status = callback.StatusCode, webhook_response = callback.ResponseBody });
        });
        control.MapPost("/read", async (MessengerSimulator messenger, ReceiptRequest receipt, CancellationToken cancellationToken) =>
        {
            var callback = await messenger.DeliverReadAsync(receipt.PageId, receipt.Psid, Watermark(receipt), cancellationToken);
            return Results.Json(new { webhook_status = callback.StatusCode, webhook_response = callback.ResponseBody });
        });
    }

    private static DateTimeOffset Watermark(ReceiptRequest receipt) =>
        receipt.Watermark is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.UtcNow;

    internal sealed record SubscribeRequest(string PageId, string CallbackUrl, string VerifyToken, string AppSecret);

    internal sealed record InboundRequest(string PageId, string Psid, string? Text, string? AttachmentUrl);

    /// <summary>A delivery or read; the watermark in Unix milliseconds, now when not given.</summary>
    internal sealed record ReceiptRequest(string PageId, string Psid, List<string>? Mids, long? Watermark);
}
