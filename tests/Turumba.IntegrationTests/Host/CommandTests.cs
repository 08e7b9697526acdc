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
}
