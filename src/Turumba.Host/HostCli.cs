using System.CommandLine;
using System.CommandLine.Help;
using Turumba.Platform.Hosting;

namespace Turumba.Host;

internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Configuration = 2;
}

/// <summary>
/// The host's command line (System.CommandLine): no verb serves; <c>migrate</c>; <c>accounts create</c>;
/// <c>accounts keys list|create|revoke</c>; <c>help [verb]</c> and <c>--help</c> print usage without
/// starting anything. Any verb also takes configuration overrides as <c>--Section:Key value</c> (or
/// <c>--Section:Key=value</c>), which go to the host's configuration; an unknown verb or an option
/// that is neither declared nor a configuration key exits 2 naming it.
/// </summary>
internal static class HostCli
{
    // Settings the generic host reads from the command line without a section.
    private static readonly HashSet<string> HostSettings = new(StringComparer.OrdinalIgnoreCase) { "urls", "environment", "contentRoot", "applicationName" };

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = Build(args);
        var parsed = root.Parse(args);
        var problems = parsed.Errors.Select(e => e.Message)
            .Concat(parsed.UnmatchedTokens.Where(IsUnknownOption).Select(t => $"Unknown option '{t}'."))
            .Concat(UnknownVerb(args, root) is { } verb ? [$"Unknown command '{verb}'. Commands: {string.Join(", ", root.Subcommands.Select(c => c.Name))}; or none to serve."] : [])
            .ToList();
        if (problems.Count > 0 && parsed.Action is not HelpAction)
        {
            foreach (var problem in problems.Distinct())
            {
                await error.WriteLineAsync($"Turumba.Host: {problem}");
            }

            await error.WriteLineAsync("Run 'Turumba.Host --help' for usage.");
            return ExitCodes.Configuration;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    private static RootCommand Build(string[] args)
    {
        var root = new RootCommand(
            "Turumba Dispatch host. Without a command it serves the roles it is given (default: all), " +
            "with configuration from appsettings.json, appsettings.{Environment}.json, environment variables (Section__Key) and --Section:Key options.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.Options.Add(new Option<string>("--roles")
        {
            Description = "Comma-separated roles: all, api, webhooks, dispatch or dispatch:<type>[+<type>], groups, scheduling, inbound, status, outbox, maintenance. Same as Turumba:Roles.",
        });
        root.Options.Add(new Option<string>("--urls") { Description = "Where the HTTP server listens, e.g. http://0.0.0.0:8080." });
        root.Options.Add(new Option<string>("--environment") { Description = "Development or Production (default: Production; ASPNETCORE_ENVIRONMENT)." });
        root.SetAction((_, _) => ServeCommand.RunAsync(args));

        var migrate = new Command("migrate", "Applies pending database migrations and exits.") { TreatUnmatchedTokensAsErrors = false };
        migrate.SetAction((result, _) => MigrateCommand.RunAsync(Configuration(result)));
        root.Subcommands.Add(migrate);
        root.Subcommands.Add(AccountsCommand());

        var help = new Command("help", "Shows usage, or the usage of a command: help accounts keys create.");
        var verb = new Argument<string[]>("command") { Arity = ArgumentArity.ZeroOrMore, Description = "The command to describe." };
        help.Arguments.Add(verb);
        help.SetAction((result, cancellationToken) => root.Parse([.. result.GetValue(verb) ?? [], "--help"]).InvokeAsync(result.InvocationConfiguration, cancellationToken));
        root.Subcommands.Add(help);
        return root;
    }

    private static Command AccountsCommand()
    {
        var name = new Option<string>("--name") { Description = "The account's or key's name.", Required = true };
        var account = new Option<Guid>("--account") { Description = "The account id.", Required = true };
        var key = new Option<Guid>("--key") { Description = "The key id (from 'accounts keys list').", Required = true };

        var create = new Command("create", "Creates an account and prints its first API key (once, on the last line).") { TreatUnmatchedTokensAsErrors = false };
        var operatorScope = new Option<bool>("--operator") { Description = "Give the key operator scope: it may also call /v1/admin (dead letters)." };
        create.Options.Add(name);
        create.Options.Add(operatorScope);
        create.SetAction((result, _) => AccountCommands.CreateAccountAsync(result.GetValue(name)!, result.GetValue(operatorScope), Configuration(result)));

        var list = new Command("list", "Lists an account's API keys: id, name, prefix, created, last used, revoked.") { TreatUnmatchedTokensAsErrors = false };
        list.Options.Add(account);
        list.SetAction((result, _) => AccountCommands.ListKeysAsync(result.GetValue(account), Configuration(result)));

        var createKey = new Command("create", "Creates an API key for an account and prints it (once, on the last line).") { TreatUnmatchedTokensAsErrors = false };
        createKey.Options.Add(account);
        createKey.Options.Add(name);
        createKey.SetAction((result, _) => AccountCommands.CreateKeyAsync(result.GetValue(account), result.GetValue(name)!, Configuration(result)));

        var revoke = new Command("revoke", "Revokes an API key; other instances refuse it within Turumba:Auth:KeyCacheDuration.") { TreatUnmatchedTokensAsErrors = false };
        revoke.Options.Add(account);
        revoke.Options.Add(key);
        revoke.SetAction((result, _) => AccountCommands.RevokeKeyAsync(result.GetValue(account), result.GetValue(key), Configuration(result)));

        var keys = new Command("keys", "Manages an account's API keys.") { list, createKey, revoke };
        return new Command("accounts", "Creates accounts and manages their API keys.") { create, keys };
    }

    /// <summary>What the command did not declare: configuration overrides for the host it builds.</summary>
    private static string[] Configuration(ParseResult result) => [.. result.UnmatchedTokens];

    // Configuration comes as --key=value (any key: it is the generic host's syntax, and test hosts pass
    // every setting that way), or --Section:Key value, or one of the settings the host reads itself.
    private static bool IsUnknownOption(string token)
    {
        if (!token.StartsWith('-') || token == "-" || token == "--" || token.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        var setting = token.TrimStart('-');
        return !setting.Contains(':', StringComparison.Ordinal) && !HostSettings.Contains(setting);
    }

    // The generic host's command line takes bare words as values only after an option, so a leading bare word is a verb.
    private static string? UnknownVerb(string[] args, RootCommand root) =>
        args is [var first, ..] && !first.StartsWith('-') && !first.Contains('=', StringComparison.Ordinal)
            && root.Subcommands.All(c => c.Name != first) ? first : null;
}
