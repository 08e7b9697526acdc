using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Turumba.Groups.Progress;

namespace Turumba.IntegrationTests.Messaging;

/// <summary>Messages a dead dispatcher left in <c>sending</c> are closed as failed, not sent again.</summary>
[TestFixture]
public sealed class SendingSweepTests
{
    [Test]
    public async Task Message_stuck_in_sending_past_the_timeout_fails_as_outcome_unknown_and_its_group_counts_it_from_the_status_event()
    {
        await using var services = await IsolatedServices.CreateAsync("sweep");
        var settings = services.Settings;
        settings["Turumba:Messages:SendingSweep:Timeout"] = "00:00:05";
        settings["Turumba:Messages:SendingSweep:Interval"] = "00:00:00.200";
        await using var app = new TurumbaApp("maintenance,groups", settings);
        var progress = app.Services.GetRequiredService<GroupProgressCounters>();
        var group = Guid.CreateVersion7();
        var stuck = await InsertSendingAsync(services.Postgres, group, TimeSpan.FromHours(1));
        var fresh = await InsertSendingAsync(services.Postgres, null, TimeSpan.Zero);
        await progress.AddPendingAsync(group, 1);

        await Eventually.WaitAsync(async () => await StatusAsync(services.Postgres, stuck) == "failed", TimeSpan.FromSeconds(30), "the stuck message to be closed");
        await Eventually.WaitAsync(async () => (await progress.GetAsync(group))?.Failed == 1, TimeSpan.FromSeconds(30), "the groups module to count it failed");
        var freshStatus = await StatusAsync(services.Postgres, fresh);
        var counters = await progress.GetAsync(group);
        var errorCode = await ErrorCodeAsync(services.Postgres, stuck);

        Assert.Multiple(() =>
        {
            Assert.That(freshStatus, Is.EqualTo("sending"), "a message claimed moments ago is left to its dispatcher");
            Assert.That(errorCode, Is.EqualTo("outcome_unknown"));
            Assert.That(counters, Is.EqualTo(new GroupProgressSnapshot(0, 0, 0, 1, 0)));
        });
    }

    private static async Task<Guid> InsertSendingAsync(string postgres, Guid? groupMessageId, TimeSpan claimedAgo)
    {
        var id = await MessageRows.InsertAsync(Guid.NewGuid(), "sending", "1234", database: postgres);
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "update messaging.messages set updated_at = now() - $2, group_message_id = $3 where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = claimedAgo });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)groupMessageId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        await command.ExecuteNonQueryAsync();
        return id;
    }

    private static async Task<string?> StatusAsync(string postgres, Guid id) =>
        (string?)await ScalarAsync(postgres, "select status from messaging.messages where id = $1", id);

    private static async Task<string?> ErrorCodeAsync(string postgres, Guid id) =>
        (string?)await ScalarAsync(postgres, "select error_details->>'code' from messaging.messages where id = $1", id);

    private static async Task<object?> ScalarAsync(string postgres, string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await command.ExecuteScalarAsync();
    }
}
