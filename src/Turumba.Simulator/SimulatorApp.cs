using Turumba.Simulator.Telegram;
using Turumba.Simulator.Twilio;

namespace Turumba.Simulator;

/// <summary>
/// A sandbox that answers like the messaging providers do, with their real request and response
/// formats, configurable faults, and callbacks to our webhooks. One folder per provider.
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
        builder.Services.AddSingleton<TelegramSimulator>();
        builder.Services.AddSingleton<TwilioSimulator>();
        builder.Services.AddHttpClient();
        var app = builder.Build();
        app.MapGet("/", () => Results.Text("Turumba provider simulator: Telegram Bot API at /bot{token}/{method}, control at /_sim/telegram/*; Twilio REST API at /2010-04-01/Accounts/{sid}, control at /_sim/twilio/*\n"));
        app.MapTelegram();
        app.MapTwilio();
        return app;
    }
}
