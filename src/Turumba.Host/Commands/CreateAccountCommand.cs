using Turumba.Platform;
using Turumba.Platform.Hosting;
using Turumba.Platform.Tenancy;

namespace Turumba.Host;

/// <summary>
/// <c>Turumba.Host accounts create --name &lt;name&gt;</c>: creates an account and prints its API key
/// once, alone on the last line, so scripts can capture it with <c>tail -n 1</c>.
/// </summary>
internal static class CreateAccountCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var name = ReadName(args);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddTurumbaDatabaseOnly(builder.Configuration, TurumbaModules.Catalog, typeof(Program).Assembly);
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<AccountAdministration>().CreateAccountAsync(name);
        Console.WriteLine($"Created account '{created.Name}' with id {created.AccountId}.");
        Console.WriteLine("Its API key follows; it is shown only this once:");
        Console.WriteLine(created.ApiKey);
        return ExitCodes.Success;
    }

    private static string ReadName(string[] args)
    {
        var index = Array.IndexOf(args, "--name");
        var name = index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        return string.IsNullOrWhiteSpace(name)
            ? throw new StartupConfigurationException("Usage: Turumba.Host accounts create --name <account name>")
            : name;
    }
}
