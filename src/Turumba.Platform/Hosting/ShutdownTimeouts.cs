namespace Turumba.Platform.Hosting;

/// <summary>How long a stop (SIGTERM, Ctrl-C) waits, so an instance is gone within seconds (docs/operations.md).</summary>
public static class ShutdownTimeouts
{
    /// <summary>In-flight consumers (a provider call) finish within this, then their cancellation token fires.</summary>
    public static readonly TimeSpan ConsumerDrain = TimeSpan.FromSeconds(5);

    /// <summary>The bus is stopped within this, cancelled consumers included.</summary>
    public static readonly TimeSpan BusStop = TimeSpan.FromSeconds(10);

    /// <summary>Every hosted service, the bus among them.</summary>
    public static readonly TimeSpan Host = TimeSpan.FromSeconds(15);
}
