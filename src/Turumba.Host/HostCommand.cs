using Turumba.Platform.Hosting;

namespace Turumba.Host;

internal enum HostVerb
{
    Serve,
    Migrate,
    CreateAccount,
}

internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Configuration = 2;
}

/// <summary>
/// <c>Turumba.Host [--roles …]</c> serves; <c>Turumba.Host migrate</c> applies migrations;
/// <c>Turumba.Host accounts create --name &lt;name&gt;</c> creates an account and prints its API key.
/// </summary>
internal sealed record HostCommand(HostVerb Verb, string[] Arguments)
{
    public static HostCommand Parse(string[] args) => args switch
    {
        ["migrate", .. var rest] => new HostCommand(HostVerb.Migrate, rest),
        ["accounts", "create", .. var rest] => new HostCommand(HostVerb.CreateAccount, rest),
        ["accounts", ..] => throw new StartupConfigurationException("Usage: Turumba.Host accounts create --name <account name>"),
        [var first, ..] when !first.StartsWith('-') && !first.Contains('=', StringComparison.Ordinal) =>
            throw new StartupConfigurationException($"Unknown command '{first}'. Commands: migrate, accounts create; or no command to serve (--roles …)."),
        _ => new HostCommand(HostVerb.Serve, args),
    };
}
