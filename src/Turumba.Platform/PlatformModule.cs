using FluentValidation;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Outbox;
using Turumba.Platform.Api.Idempotency;
using Turumba.Platform.Hosting;
using Turumba.Platform.Modules;
using Turumba.Platform.Persistence;
using Turumba.Platform.Security;
using Turumba.Platform.Tenancy;

namespace Turumba.Platform;

/// <summary>Accounts, API keys and the messaging outbox: the tables and endpoints the platform itself owns.</summary>
public sealed class PlatformModule : ITurumbaModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, HostRoles roles)
    {
        services.AddValidatorsFromAssemblyContaining<PlatformModule>(includeInternalTypes: true);
        if (roles.Has(HostRole.Maintenance))
        {
            services.AddHostedService<IdempotencyCleanupService>();
            services.AddHostedService<Telemetry.OutboxBacklogSampler>();
        }

        if (roles.Has(HostRole.Api))
        {
            services.AddSingleton<Messaging.BrokerAddress>();
            services.AddSingleton<Operations.DeadLetters.DeadLetterQueues>();
        }
    }

    public void ConfigureModel(ModelBuilder modelBuilder)
    {
        TenancyModel.Configure(modelBuilder);
        IdempotencyModel.Configure(modelBuilder);
        DataProtectionKey.Configure(modelBuilder);
        modelBuilder.AddTurumbaOutboxEntities(PersistenceServiceCollectionExtensions.Schema);
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints, HostRoles roles)
    {
        if (roles.Has(HostRole.Api))
        {
            AccountEndpoints.Map(endpoints);
            ApiKeyEndpoints.Map(endpoints);
            Operations.DeadLetters.DeadLetterEndpoints.Map(endpoints);
        }
    }
}
