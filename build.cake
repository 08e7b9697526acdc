// Build tasks. Run through ./build.sh <target>; see README.md and docs/operations.md.
using System.Xml.Linq;

var target = Argument("target", "test");
var configuration = Argument("configuration", "Release");
var urls = Argument("urls", "http://127.0.0.1:5080");
var roles = Argument("roles", "all");
var filter = Argument("filter", "");
var simulator = HasArgument("simulator");

var solution = "./Turumba.sln";
var hostProject = "./src/Turumba.Host/Turumba.Host.csproj";
var resultsDir = MakeAbsolute(Directory("./artifacts/test-results"));

static readonly string[] ConnectionVariables =
{
    "ConnectionStrings__Postgres", "ConnectionStrings__RabbitMq", "ConnectionStrings__Redis",
};

Task("Infra")
    .Description("Installs (if missing) and starts PostgreSQL, RabbitMQ and Redis on loopback.")
    .Does(() =>
{
    if (ConnectionVariables.All(v => !string.IsNullOrEmpty(EnvironmentVariable(v))))
    {
        Information("Using the services named by ConnectionStrings__* from the environment.");
        return;
    }

    var exit = StartProcess("bash", new ProcessSettings
    {
        Arguments = "build/infra.sh up",
        RedirectStandardOutput = true,
    }, out var lines);
    if (exit != 0)
    {
        throw new CakeException($"build/infra.sh up failed with exit code {exit}.");
    }

    foreach (var line in lines.Where(l => l.Contains('=')))
    {
        var split = line.IndexOf('=');
        var name = line[..split];
        if (string.IsNullOrEmpty(EnvironmentVariable(name)))
        {
            System.Environment.SetEnvironmentVariable(name, line[(split + 1)..]);
        }
    }
});

Task("Build")
    .Description("Restores and builds the solution with warnings as errors.")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration });
});

Task("Test")
    .Description("Runs every unit and integration test against real PostgreSQL, RabbitMQ and Redis.")
    .IsDependentOn("Build")
    .IsDependentOn("Infra")
    .Does(() =>
{
    CleanDirectory(resultsDir);
    System.IO.File.WriteAllText($"{resultsDir}/summary.txt", "Tests: the test run did not finish\n");
    var settings = new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        ResultsDirectory = resultsDir,
        Loggers = { "trx", "console;verbosity=normal" },
    };
    if (!string.IsNullOrEmpty(filter))
    {
        settings.Filter = filter;
    }

    Exception failure = null;
    try
    {
        DotNetTest(solution, settings);
    }
    catch (Exception ex)
    {
        failure = ex;
    }

    PrintTestSummary(resultsDir);
    if (failure != null)
    {
        throw failure;
    }

    // The short chaos run (docs/benchmarks.md): every fault at once on services of its own; the full one is ./build.sh chaos.
    if (string.IsNullOrEmpty(filter))
    {
        RunChaos(configuration, "1000", "400");
    }
});

Task("Migrate")
    .Description("Applies the database migrations to the configured PostgreSQL.")
    .IsDependentOn("Infra")
    .Does(() =>
{
    RunHost("migrate");
});

Task("Run")
    .Description("Starts the whole system: infrastructure, migrations, then the host with --roles all.")
    .IsDependentOn("Build")
    .IsDependentOn("Migrate")
    .Does(() =>
{
    var apiKey = "trb_dev_local_development_key_do_not_use_in_production";
    Information("");
    Information($"Turumba is starting on {urls} with roles '{roles}'.");
    Information($"  API:      {urls}/v1   (header X-Api-Key: {apiKey})");
    Information($"  Health:   {urls}/health/ready");
    Information($"  API docs: {urls}/scalar/v1   OpenAPI: {urls}/openapi/v1.json");
    Information("  Stop with Ctrl-C.");
    Information("");
    IProcess simulatorProcess = null;
    if (simulator)
    {
        var simulatorDll = $"./src/Turumba.Simulator/bin/{configuration}/net10.0/Turumba.Simulator.dll";
        simulatorProcess = StartAndReturnProcess("dotnet", new ProcessSettings { Arguments = $"{simulatorDll} --urls http://127.0.0.1:5090" });
        Information("  Simulator: http://127.0.0.1:5090 (Telegram Bot API; use it as a channel's credentials.api_base_url)");
    }

    try
    {
        RunHost($"--roles {roles} --urls {urls}");
    }
    finally
    {
        simulatorProcess?.Kill();
    }
});

Task("Chaos")
    .Description("The chaos run (docs/benchmarks.md): services of its own from build/chaos-infra.sh, three hosts, faults; prints lost/duplicated/stuck.")
    .Does(() =>
{
    DotNetBuild("./tests/Turumba.Benchmarks/Turumba.Benchmarks.csproj", new DotNetBuildSettings { Configuration = "Release" });
    RunChaos("Release", Argument("recipients", "10000"), Argument("singles", "1000"));
});

Task("Default").IsDependentOn("Test");

void RunHost(string arguments)
{
    var env = new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Development", ["ASPNETCORE_ENVIRONMENT"] = "Development" };
    var dll = $"./src/Turumba.Host/bin/{configuration}/net10.0/Turumba.Host.dll";
    if (!FileExists(dll))
    {
        DotNetBuild(hostProject, new DotNetBuildSettings { Configuration = configuration });
    }

    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = $"{dll} {arguments}",
        EnvironmentVariables = env,
    });
    // 130/143: stopped by Ctrl-C or SIGTERM, which is how a developer ends `run`.
    if (exit != 0 && exit != 130 && exit != 143)
    {
        throw new CakeException($"Turumba.Host {arguments} exited with code {exit}.");
    }
}

void PrintTestSummary(DirectoryPath directory)
{
    int passed = 0, failed = 0, skipped = 0;
    foreach (var trx in GetFiles($"{directory}/*.trx"))
    {
        var counters = XDocument.Load(trx.FullPath).Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
        if (counters == null)
        {
            continue;
        }

        int Read(string name) => int.TryParse(counters.Attribute(name)?.Value, out var n) ? n : 0;
        passed += Read("passed");
        failed += Read("failed") + Read("error") + Read("timeout") + Read("aborted");
        skipped += Read("notExecuted");
    }

    // build.sh prints this file last, uncoloured, after Cake's task table.
    System.IO.File.WriteAllText($"{directory}/summary.txt", $"Tests: {passed} passed, {failed} failed, {skipped} skipped\n");
}

RunTarget(target);

/// <summary>
/// Starts the chaos run's own services (build/infra.sh installs their packages) and runs the built
/// benchmark program's chaos scenario; throws when it finds a defect.
/// </summary>
void RunChaos(string config, string recipients, string singles)
{
    foreach (var step in new[] { "build/infra.sh up", "build/chaos-infra.sh up" })
    {
        if (StartProcess("bash", new ProcessSettings { Arguments = step, RedirectStandardOutput = true }) != 0)
        {
            throw new CakeException($"{step} failed.");
        }
    }

    StartProcess("bash", new ProcessSettings { Arguments = "build/chaos-infra.sh env", RedirectStandardOutput = true }, out var lines);
    var environment = lines.Where(l => l.Contains('=')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = $"run -c {config} --no-build --project tests/Turumba.Benchmarks -- chaos {recipients} --singles={singles}",
        EnvironmentVariables = environment,
    });
    if (exit != 0)
    {
        throw new CakeException($"The chaos run found a defect or could not finish (exit code {exit}); see its output and artifacts/chaos/.");
    }
}
