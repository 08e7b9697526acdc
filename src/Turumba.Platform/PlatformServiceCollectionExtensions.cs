using System.Reflection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Turumba.Platform.Api;
using Turumba.Platform.Health;
using Turumba.Platform.Hosting;
using Turumba.Platform.Messaging;
using Turumba.Platform.Modules;
using Turumba.Platform.Persistence;
using Turumba.Platform.Redis;
using Turumba.Platform.Security;
using Turumba.Platform.Telemetry;
using Turumba.Platform.Tenancy;

namespace Turumba.Platform;

public static class PlatformServiceCollectionExtensions
{
    /// <summary>
    /// Everything modules stand on: persistence, messaging, Redis, API plumbing, authentication,
    /// health; then each module's own services.
    /// </summary>
    public static IServiceCollection AddTurumba(
        this IServiceCollection services, IConfiguration configuration, HostRoles roles, ModuleCatalog modules, Assembly migrationsAssembly)
    {
        services.AddSingleton(roles);
        services.AddSingleton(modules);
        services.Configure<HostOptions>(host =>
        {
            // Deliberate: a background service that cannot continue stops the host, and ServeCommand
            // then exits with 1, so a supervisor restarts the instance (decision log: failures).
            host.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
            host.ShutdownTimeout = ShutdownTimeouts.Host;
        });
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddMemoryCache();

        services.AddTurumbaPersistence(configuration, migrationsAssembly);
        services.AddTurumbaRedis(configuration);
        services.AddTurumbaMessaging(configuration, roles, modules);
        services.AddTurumbaApi();
        services.AddTurumbaHealthChecks();
        services.AddTurumbaTelemetry(configuration, roles.ToString());
        services.AddTurumbaTenancy();
        services.AddTurumbaDataProtection();

        foreach (var module in modules.Modules)
        {
            module.AddServices(services, configuration, roles);
        }

        return services;
    }

    /// <summary>Only what the <c>migrate</c> and <c>accounts</c> verbs need: the database.</summary>
    public static IServiceCollection AddTurumbaDatabaseOnly(
        this IServiceCollection services, IConfiguration configuration, ModuleCatalog modules, Assembly migrationsAssembly)
    {
        services.AddSingleton(modules);
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentAccount, CurrentAccount>();
        services.AddScoped<AccountAdministration>();
        return services.AddTurumbaPersistence(configuration, migrationsAssembly);
    }

    private static void AddTurumbaTenancy(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section)
            .Validate(o => o.ApiKey is null || o.ApiKey.Length >= ApiKeySecret.MinimumLength,
                $"Turumba:Bootstrap:ApiKey must be at least {ApiKeySecret.MinimumLength} characters long.")
            .ValidateOnStart();
        services.AddScoped<ICurrentAccount, CurrentAccount>();
        services.AddScoped<AccountAdministration>();
        services.AddScoped<FluentValidation.IValidator<CreateApiKeyRequest>, CreateApiKeyValidator>();
        services.AddHostedService<BootstrapAccountSeeder>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(auth => auth.AddPolicy(ApiKeyScopes.OperatorPolicy, policy => policy.RequireClaim(TurumbaClaims.Scope, ApiKeyScopes.Operator)));
    }
}
