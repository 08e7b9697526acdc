namespace Turumba.Simulator;

internal static class SimulatorProgram
{
    /// <summary>Standalone: <c>dotnet run --project src/Turumba.Simulator -- --urls http://127.0.0.1:5090</c>.</summary>
    public static async Task Main(string[] args)
    {
        var app = SimulatorApp.Build(args);
        await app.RunAsync();
    }
}
