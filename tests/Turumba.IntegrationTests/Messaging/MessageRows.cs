using Npgsql;

namespace Turumba.IntegrationTests.Messaging;

/// <summary>Writes message rows straight into the partitioned table, for tests of reading them.</summary>
internal static class MessageRows
{
    public static async Task<Guid> InsertAsync(
        Guid accountId, string status, string address, DateTimeOffset? createdAt = null, Guid? channelId = null, string direction = "outbound", string? body = "hello", string? database = null)
    {
        var id = Guid.CreateVersion7(createdAt ?? DateTimeOffset.UtcNow);
        await using var connection = new NpgsqlConnection(database ?? TestServices.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            insert into messaging.messages (id, created_at, updated_at, account_id, channel_id, direction, status, delivery_address, message_body)
            values ($1, $2, $2, $3, $4, $5, $6, $7, $8)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = createdAt ?? DateTimeOffset.UtcNow });
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = channelId ?? Guid.NewGuid() });
        command.Parameters.Add(new NpgsqlParameter { Value = direction });
        command.Parameters.Add(new NpgsqlParameter { Value = status });
        command.Parameters.Add(new NpgsqlParameter { Value = address });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)body ?? DBNull.Value });
        await command.ExecuteNonQueryAsync();
        return id;
    }

    public static async Task<List<string>> PartitionsAsync()
    {
        await using var connection = new NpgsqlConnection(TestServices.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'messaging.messages'::regclass order by 1",
            connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
