using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Turumba.Platform.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// ASP.NET Core Data Protection with its key ring in PostgreSQL, shared by every instance, and
    /// encrypted there with <c>Turumba:DataProtection:KeyEncryptionKey</c> (required in Production).
    /// </summary>
    public static IServiceCollection AddTurumbaDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("turumba-dispatch");
        services.AddOptions<KeyEncryptionKeyOptions>().BindConfiguration(KeyEncryptionKeyOptions.Section)
            .Validate(o => KeyEncryptionKeyOptions.IsValid(o.KeyEncryptionKey), "Turumba:DataProtection:KeyEncryptionKey must be 32 bytes in base64 (openssl rand -base64 32).")
            .Validate<IHostEnvironment>((o, environment) => !environment.IsProduction() || o.KeyEncryptionKey is not null,
                "Turumba:DataProtection:KeyEncryptionKey is required in Production: it encrypts the key ring that protects channel credentials (openssl rand -base64 32).")
            .ValidateOnStart();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
        {
            options.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<NpgsqlDataSource>());
            if (sp.GetRequiredService<IOptions<KeyEncryptionKeyOptions>>().Value.Read() is var (key, id))
            {
                options.XmlEncryptor = new KeyRingEncryptor(key, id);
            }
        }));
        return services;
    }
}
