namespace Turumba.Simulator;

/// <summary>
/// A sandbox that answers like the messaging providers do, with their real request and response
/// formats, configurable faults, and callbacks to our webhooks. One folder per provider, each
/// found through its <see cref="ISimulatedProvider"/>.
/// </summary>
public static class SimulatorApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5090");
        }

        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddHttpClient();
        var providers = Providers();
        foreach (var provider in providers)
        {
            provider.AddServices(builder.Services);
        }

        var app = builder.Build();
        var index = "Turumba provider simulator:\n" + string.Concat(providers.Select(p => $"  {p.Summary}\n"));
        app.MapGet("/", () => Results.Text(index));
        foreach (var provider in providers)
        {
            provider.MapEndpoints(app);
        }

        return app;
    }

    private static List<ISimulatedProvider> Providers() => typeof(SimulatorApp).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ISimulatedProvider).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (ISimulatedProvider)Activator.CreateInstance(t)!)
        .ToList();
}
