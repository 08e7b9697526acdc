using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Turumba.Platform.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Traces (ASP.NET Core, HTTP clients, Npgsql, MassTransit, Turumba) carry one trace id from an
    /// API request through the outbox, the broker and the provider call; they are exported over
    /// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Metrics are served to Prometheus at <c>/metrics</c>.
    /// </summary>
    public static IServiceCollection AddTurumbaTelemetry(this IServiceCollection services, IConfiguration configuration, string roles)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService("turumba-dispatch", serviceInstanceId: Environment.MachineName)
                .AddAttributes([new("turumba.roles", roles)]))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments("/metrics"))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddSource("MassTransit")
                    .AddSource(TurumbaTelemetry.Name);
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter("MassTransit")
                    .AddMeter(TurumbaTelemetry.Name)
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        return services;
    }

    public static IEndpointRouteBuilder MapTurumbaMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }
}
