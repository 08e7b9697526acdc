using Scalar.AspNetCore;
using Turumba.Platform;
using Turumba.Platform.Api;
using Turumba.Platform.Health;
using Turumba.Platform.Hosting;
using Turumba.Platform.Telemetry;

namespace Turumba.Host;

/// <summary>Runs the instance with the roles it was given.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--roles"] = "Turumba:Roles" });
        var roles = HostRoles.Parse(builder.Configuration["Turumba:Roles"]);
        var modules = TurumbaModules.Catalog;
        builder.Services.AddTurumba(builder.Configuration, roles, modules, typeof(Program).Assembly);

        var app = builder.Build();
        app.UseTurumbaApi();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapTurumbaHealth();
        app.MapTurumbaMetrics();
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        foreach (var module in modules.Modules)
        {
            module.MapEndpoints(app, roles);
        }

        app.Logger.LogInformation("Turumba.Host starting with roles {Roles}", roles);
        await app.RunAsync();
        return ExitCodes.Success;
    }
}
