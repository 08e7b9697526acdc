using Scalar.AspNetCore;
using Turumba.Platform;
using Turumba.Platform.Api;
using Turumba.Platform.Health;
using Turumba.Platform.Hosting;
using Turumba.Platform.Messaging;
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
        Contracts.CommandAddresses.ViaExchange = MessagingServiceCollectionExtensions.UsesQuorumQueues(builder.Configuration);
        builder.Services.AddQuorumCommandQueues(builder.Configuration, [.. ChannelTypes.All.Select(Contracts.DispatchQueues.For), Contracts.GroupQueues.Processing]);
        builder.Services.AddTurumba(builder.Configuration, roles, modules, typeof(Program).Assembly);

        var app = builder.Build();
        app.UseTurumbaApi();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapTurumbaHealth();
        app.MapTurumbaMetrics();
        // The description is served everywhere unless switched off; the interactive page only in Development unless switched on.
        if (app.Configuration.GetValue("Turumba:OpenApi:Enabled", true))
        {
            app.MapOpenApi();
            if (app.Configuration.GetValue("Turumba:OpenApi:Interactive", app.Environment.IsDevelopment()))
            {
                app.MapScalarApiReference(o => o.WithTitle("Turumba Dispatch API").AddPreferredSecuritySchemes("ApiKey"));
            }
        }

        foreach (var module in modules.Modules)
        {
            module.MapEndpoints(app, roles);
        }

        app.Logger.LogInformation("Turumba.Host starting with roles {Roles}", roles);
        // The host's own instances, taken before it runs: RunAsync disposes the container when it ends.
        var background = app.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
        try
        {
            await app.RunAsync();
        }
        catch (OperationCanceledException) when (FailedServices(background).Count > 0)
        {
            // The stop a failed background service caused ends the run this way; the failure is what matters.
        }

        return FailedServices(background) is { Count: > 0 } failed ? ReportFailure(app.Logger, failed) : ExitCodes.Success;
    }

    /// <summary>The background services that ended with an exception: the host stopped because of them, not by request.</summary>
    private static List<string> FailedServices(List<BackgroundService> background) =>
        background.Where(s => s.ExecuteTask is { IsFaulted: true }).Select(s => s.GetType().Name).ToList();

    private static int ReportFailure(ILogger logger, List<string> failed)
    {
        logger.LogCritical("Turumba.Host stopped because {Services} failed; exiting with code {Code}", string.Join(", ", failed), ExitCodes.Failure);
        return ExitCodes.Failure;
    }
}
