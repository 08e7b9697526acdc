using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages.Store;

internal sealed class MessageStore(NpgsqlDataSource dataSource) : IMessageStore
{
    private const string CopyCommand = """
        copy messaging.messages (id, created_at, updated_at, account_id, channel_id, contact_id, group_message_id, template_id,
                                 direction, status, delivery_address, message_body, original_template, attempts, metadata)
        from stdin (format binary)
        """;

    private static readonly string Outbound = JsonNamingPolicy.SnakeCaseLower.ConvertName(nameof(MessageDirection.Outbound));
    private static readonly Dictionary<MessageStatus, string> StatusNames =
        Enum.GetValues<MessageStatus>().ToDictionary(s => s, s => JsonNamingPolicy.SnakeCaseLower.ConvertName(s.ToString()));

    public async Task BulkInsertAsync(TurumbaDbContext db, IReadOnlyList<NewMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            await using var writer = await connection.BeginBinaryImportAsync(CopyCommand, cancellationToken);
            foreach (var m in messages)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(m.Id, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(m.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(m.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(m.AccountId, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(m.ChannelId, NpgsqlDbType.Uuid, cancellationToken);
                await WriteNullableAsync(writer, m.ContactId, cancellationToken);
                await WriteNullableAsync(writer, m.GroupMessageId, cancellationToken);
                await WriteNullableAsync(writer, m.TemplateId, cancellationToken);
                await writer.WriteAsync(Outbound, NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(StatusNames[m.Status], NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(m.DeliveryAddress, NpgsqlDbType.Varchar, cancellationToken);
                await WriteNullableAsync(writer, m.MessageBody, cancellationToken);
                await WriteNullableAsync(writer, m.OriginalTemplate, cancellationToken);
                await writer.WriteAsync(0, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync("{}", NpgsqlDbType.Jsonb, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    public async Task<MessageForDispatch?> TryStartSendingAsync(Guid id, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            update messaging.messages set status = 'sending', updated_at = now()
             where id = $1 and created_at = $2 and status = 'queued' and direction = 'outbound'
            returning account_id, channel_id, group_message_id, delivery_address, coalesce(message_body, ''), metadata::text
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = createdAt });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new MessageForDispatch(id, createdAt, reader.GetGuid(0), reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetGuid(2),
            reader.GetString(3), reader.GetString(4), StringMetadata(reader.GetString(5)));
    }

    public async Task<bool> MarkSentAsync(Guid id, DateTimeOffset createdAt, string providerMessageId, int attempts, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            update messaging.messages
               set status = 'sent', provider_message_id = $3, attempts = $4, sent_at = $5, updated_at = now(), error_details = null
             where id = $1 and created_at = $2 and status = 'sending'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = createdAt });
        command.Parameters.Add(new NpgsqlParameter { Value = providerMessageId });
        command.Parameters.Add(new NpgsqlParameter { Value = attempts });
        command.Parameters.Add(new NpgsqlParameter { Value = sentAt });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> MarkFailedAsync(
        Guid id, DateTimeOffset createdAt, MessageStatus status, int attempts, string errorCode, string errorMessage, DateTimeOffset failedAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            update messaging.messages
               set status = $3, attempts = $4, failed_at = $5, updated_at = now(),
                   error_details = jsonb_build_object('code', $6::text, 'message', $7::text)
             where id = $1 and created_at = $2 and status = 'sending'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = createdAt });
        command.Parameters.Add(new NpgsqlParameter { Value = StatusNames[status] });
        command.Parameters.Add(new NpgsqlParameter { Value = attempts });
        command.Parameters.Add(new NpgsqlParameter { Value = failedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = errorCode });
        command.Parameters.Add(new NpgsqlParameter { Value = errorMessage });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task RequeueAsync(Guid id, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "update messaging.messages set status = 'queued', updated_at = now() where id = $1 and created_at = $2 and status = 'sending'");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = createdAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Dictionary<string, string> StringMetadata(string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }

        return values;
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, Guid? value, CancellationToken cancellationToken) =>
        value is { } v ? writer.WriteAsync(v, NpgsqlDbType.Uuid, cancellationToken) : writer.WriteNullAsync(cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken cancellationToken) =>
        value is not null ? writer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken) : writer.WriteNullAsync(cancellationToken);
}
