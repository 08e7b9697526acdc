using Microsoft.Extensions.Configuration;
using Turumba.Platform.Hosting;

namespace Turumba.Platform.Persistence;

/// <summary>Reads the required connection strings, failing start-up with the setting's name when one is missing.</summary>
public static class ConnectionStrings
{
    public const string Postgres = "Postgres";
    public const string RabbitMq = "RabbitMq";
    public const string Redis = "Redis";

    public static string Require(IConfiguration configuration, string name)
    {
        var value = configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new StartupConfigurationException(
                $"Missing setting ConnectionStrings:{name} (environment variable ConnectionStrings__{name}).");
        }

        return value;
    }
}
