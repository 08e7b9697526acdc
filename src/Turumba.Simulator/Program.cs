using Turumba.Simulator;

// Standalone: dotnet run --project src/Turumba.Simulator -- --urls http://127.0.0.1:5090
var app = SimulatorApp.Build(args);
await app.RunAsync();
