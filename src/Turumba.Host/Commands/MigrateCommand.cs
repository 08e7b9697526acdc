using Turumba.Platform;
using Turumba.Platform.Persistence;

namespace Turumba.Host;

/// <summary><c>Turumba.Host migrate</c>: applies pending migrations and exits.</summary>
internal static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // EF logs its probe of a not-yet-existing history table as a failed command; it is expected here.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Critical);
        builder.Services.AddTurumbaDatabaseOnly(builder.Configuration, TurumbaModules.Catalog, typeof(Program).Assembly);
        using var host = builder.Build();
        var applied = await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        Console.WriteLine(applied.Count == 0
            ? "The database is up to date."
            : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
        return ExitCodes.Success;
    }
}
