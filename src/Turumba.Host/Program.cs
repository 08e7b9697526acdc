using Microsoft.Extensions.Options;
using Turumba.Host;
using Turumba.Platform.Hosting;

try
{
    return await HostCli.RunAsync(args);
}
catch (Exception ex) when (ex is StartupConfigurationException or OptionsValidationException)
{
    await Console.Error.WriteLineAsync($"Turumba.Host: {ex.Message}");
    return ExitCodes.Configuration;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    // Already logged by the host where it had a logger; this line is for the operator's terminal.
    await Console.Error.WriteLineAsync($"Turumba.Host failed: {ex.GetType().Name}: {ex.Message}");
    return ExitCodes.Failure;
}

/// <summary>The host's entry point; named so tests can start it in-process.</summary>
public partial class Program;
