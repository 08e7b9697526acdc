using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Platform.Hosting;

namespace Turumba.Platform.Modules;

/// <summary>
/// One bounded module of the host. The host calls each step for every module; the module
/// decides from <see cref="HostRoles"/> what it contributes to this instance.
/// </summary>
public interface ITurumbaModule
{
    /// <summary>Services of the module. Called for every role: other modules may depend on them.</summary>
    void AddServices(IServiceCollection services, IConfiguration configuration, HostRoles roles);

    /// <summary>The module's tables in the shared model. Always called, so the model is the same in every role.</summary>
    void ConfigureModel(ModelBuilder modelBuilder)
    {
    }

    /// <summary>Consumers, sagas and their endpoints, for the roles that run them.</summary>
    void AddConsumers(IBusRegistrationConfigurator bus, HostRoles roles)
    {
    }

    /// <summary>HTTP endpoints, for the roles that serve them.</summary>
    void MapEndpoints(IEndpointRouteBuilder endpoints, HostRoles roles)
    {
    }
}
