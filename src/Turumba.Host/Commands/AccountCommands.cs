using Turumba.Platform;
using Turumba.Platform.Api;
using Turumba.Platform.Hosting;
using Turumba.Platform.Tenancy;

namespace Turumba.Host;

/// <summary>
/// <c>accounts create</c> and <c>accounts keys list|create|revoke</c>. A new key is printed once,
/// alone on the last line, so scripts can capture it with <c>tail -n 1</c>.
/// </summary>
internal static class AccountCommands
{
    public static Task<int> CreateAccountAsync(string name, bool operatorScope, string[] configuration) => WithAdministrationAsync(configuration, async admin =>
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new StartupConfigurationException("--name must not be empty.");
        }

        var created = await admin.CreateAccountAsync(name, operatorScope: operatorScope);
        Console.WriteLine($"Created account '{created.Name}' with id {created.AccountId}{(operatorScope ? " (its key has operator scope: /v1/admin)" : string.Empty)}.");
        Console.WriteLine("Its API key follows; it is shown only this once:");
        Console.WriteLine(created.ApiKey);
    });

    public static Task<int> ListKeysAsync(Guid account, string[] configuration) => WithAdministrationAsync(configuration, async admin =>
    {
        var keys = await admin.ListKeysAsync(account);
        Console.WriteLine($"{"id",-36}  {"name",-20}  {"prefix",-12}  {"created",-20}  {"last used",-20}  revoked");
        foreach (var key in keys)
        {
            Console.WriteLine($"{key.Id,-36}  {key.Name,-20}  {key.Prefix,-12}  {Time(key.CreatedAt),-20}  {Time(key.LastUsedAt),-20}  {Time(key.RevokedAt)}");
        }
    });

    public static Task<int> CreateKeyAsync(Guid account, string name, string[] configuration) => WithAdministrationAsync(configuration, async admin =>
    {
        var created = await admin.CreateKeyAsync(account, string.IsNullOrWhiteSpace(name) ? throw new StartupConfigurationException("--name must not be empty.") : name);
        Console.WriteLine($"Created key '{created.Info.Name}' ({created.Info.Id}) for account {account}.");
        Console.WriteLine("The key follows; it is shown only this once:");
        Console.WriteLine(created.Key);
    });

    public static Task<int> RevokeKeyAsync(Guid account, Guid key, string[] configuration) => WithAdministrationAsync(configuration, async admin =>
    {
        var revoked = await admin.RevokeKeyAsync(account, key);
        Console.WriteLine($"Revoked key '{revoked.Name}' ({revoked.Prefix}…) at {Time(revoked.RevokedAt)}.");
    });

    private static async Task<int> WithAdministrationAsync(string[] configuration, Func<AccountAdministration, Task> work)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = configuration, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddTurumbaDatabaseOnly(builder.Configuration, TurumbaModules.Catalog, typeof(Program).Assembly);
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        try
        {
            await work(scope.ServiceProvider.GetRequiredService<AccountAdministration>());
            return ExitCodes.Success;
        }
        catch (ApiException ex)
        {
            await Console.Error.WriteLineAsync($"Turumba.Host: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static string Time(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}
