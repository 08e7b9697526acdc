using System.Net;
using Npgsql;

namespace Turumba.IntegrationTests.Host;

[TestFixture]
public sealed class CommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Test]
    public async Task Migrate_applies_every_migration_to_an_empty_database_and_is_idempotent()
    {
        var database = await TestDatabase.CreateAsync(TestServices.AdminPostgres, "migrate");
        try
        {
            var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = database };
            await using (var first = HostProcess.Start(["migrate"], environment))
            {
                Assert.That(await first.WaitForExitAsync(Timeout), Is.EqualTo(0), first.Output);
                Assert.That(first.Output, Does.Contain("Applied"));
            }

            await using (var second = HostProcess.Start(["migrate"], environment))
            {
                Assert.That(await second.WaitForExitAsync(Timeout), Is.EqualTo(0), second.Output);
                Assert.That(second.Output, Does.Contain("up to date"));
            }

            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var tables = new NpgsqlCommand(
                "select count(*) from information_schema.tables where table_schema || '.' || table_name in ('platform.accounts', 'platform.api_keys', 'contacts.contacts')",
                connection);
            Assert.That(await tables.ExecuteScalarAsync(), Is.EqualTo(3L));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await TestDatabase.DropAsync(TestServices.AdminPostgres, database);
        }
    }

    [Test]
    public async Task Accounts_create_prints_a_working_api_key_alone_on_the_last_line()
    {
        await using var process = HostProcess.Start(["accounts", "create", "--name", "Command Line Co"]);
        Assert.That(await process.WaitForExitAsync(Timeout), Is.EqualTo(0), process.Output);

        var key = process.Output.TrimEnd().Split('\n')[^1].Trim();
        using var client = TestServices.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var account = await (await client.GetAsync("/v1/account")).ExpectAsync(HttpStatusCode.OK);

        Assert.That(account.GetProperty("data").GetProperty("name").GetString(), Is.EqualTo("Command Line Co"));
    }

    [Test]
    public async Task Accounts_create_without_a_name_exits_with_code_2()
    {
        await using var process = HostProcess.Start(["accounts", "create"]);

        Assert.That(await process.WaitForExitAsync(Timeout), Is.EqualTo(2), process.Output);
        Assert.That(process.Output, Does.Contain("--name"));
    }

    [Test]
    public async Task Keys_are_created_listed_and_revoked_from_the_command_line_and_a_revoked_key_is_refused()
    {
        await using var account = HostProcess.Start(["accounts", "create", "--name", "Key Rotation Co"]);
        Assert.That(await account.WaitForExitAsync(Timeout), Is.EqualTo(0), account.Output);
        var accountId = System.Text.RegularExpressions.Regex.Match(account.Output, "with id ([0-9a-f-]{36})").Groups[1].Value;
        var firstKey = account.Output.TrimEnd().Split('\n')[^1].Trim();

        await using var created = HostProcess.Start(["accounts", "keys", "create", "--account", accountId, "--name", "ci"]);
        Assert.That(await created.WaitForExitAsync(Timeout), Is.EqualTo(0), created.Output);
        var secondKey = created.Output.TrimEnd().Split('\n')[^1].Trim();

        await using var listed = HostProcess.Start(["accounts", "keys", "list", "--account", accountId]);
        Assert.That(await listed.WaitForExitAsync(Timeout), Is.EqualTo(0), listed.Output);
        var firstId = listed.Output.Split('\n').Single(l => l.Contains(" default ", StringComparison.Ordinal)).Split(' ')[0];

        await using var revoked = HostProcess.Start(["accounts", "keys", "revoke", "--account", accountId, "--key", firstId]);
        Assert.That(await revoked.WaitForExitAsync(Timeout), Is.EqualTo(0), revoked.Output);

        // A fresh host has no cached lookups: the revoked key is refused at once, the new one works.
        await using var app = new TurumbaApp();
        using var old = app.CreateClient();
        old.DefaultRequestHeaders.Add("X-Api-Key", firstKey);
        using var current = app.CreateClient();
        current.DefaultRequestHeaders.Add("X-Api-Key", secondKey);
        Assert.Multiple(async () =>
        {
            Assert.That(listed.Output, Does.Contain(" ci ").And.Contain(" default "));
            Assert.That((await old.GetAsync("/v1/account")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await current.GetAsync("/v1/account")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [TestCase("--help")]
    [TestCase("help", "accounts", "keys", "create")]
    public async Task Help_prints_usage_and_exits_0_without_starting(params string[] args)
    {
        await using var process = HostProcess.Start(args, new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = null });

        Assert.That(await process.WaitForExitAsync(Timeout), Is.EqualTo(0), process.Output);
        Assert.That(process.Output, Does.Contain("Usage:").And.Not.Contain("starting with roles"));
    }

    [TestCase(new[] { "migrat" }, "Unknown command 'migrat'")]
    [TestCase(new[] { "--rolez", "api" }, "Unknown option '--rolez'")]
    [TestCase(new[] { "accounts", "keys", "revoke", "--account", "not-a-guid" }, "--account")]
    public async Task Unknown_verbs_and_options_exit_2_naming_them(string[] args, string named)
    {
        await using var process = HostProcess.Start(args);

        Assert.That(await process.WaitForExitAsync(Timeout), Is.EqualTo(2), process.Output);
        Assert.That(process.Output, Does.Contain(named));
    }
}
