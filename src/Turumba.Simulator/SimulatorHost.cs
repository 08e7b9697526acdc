using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Turumba.Simulator;

/// <summary>The simulator in-process, on a free loopback port (tests, benchmarks).</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>A simulated provider's state (<c>Get&lt;TwilioSimulator&gt;()</c>); each provider folder adds a shorthand property.</summary>
    public T Get<T>()
        where T : class => _app.Services.GetRequiredService<T>();

    public static async Task<SimulatorHost> StartAsync()
    {
        var app = SimulatorApp.Build(["--urls", "http://127.0.0.1:0"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
