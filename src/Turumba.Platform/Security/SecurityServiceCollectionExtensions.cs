using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Turumba.Platform.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>ASP.NET Core Data Protection with its key ring in PostgreSQL, shared by every instance.</summary>
    public static IServiceCollection AddTurumbaDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("turumba-dispatch");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(
            options => options.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<NpgsqlDataSource>())));
        return services;
    }
}
