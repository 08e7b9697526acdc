using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Turumba.Platform.Api;
using Turumba.Platform.Telemetry;

namespace Turumba.Webhooks.Receiving;

/// <summary>Webhook instruments on the <c>Turumba</c> meter, exported at <c>/metrics</c>.</summary>
internal static class WebhookMetrics
{
    public static readonly Histogram<double> Duration = TurumbaTelemetry.Meter.CreateHistogram<double>(
        "turumba.webhooks.duration", unit: "s",
        description: "Time to answer a provider's webhook, by channel type and status code (200 accepted, 401 bad signature, 400 not parsable, 404 no such channel).");

    /// <summary>Times every webhook request, whatever it ends with.</summary>
    public static async ValueTask<object?> TimeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            var result = await next(context);
            status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
            return result;
        }
        catch (ApiException ex)
        {
            status = ex.StatusCode;
            throw;
        }
        finally
        {
            Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("channel_type", context.HttpContext.Request.RouteValues["channelType"] as string ?? "unknown"),
                new KeyValuePair<string, object?>("status_code", status));
        }
    }
}
