using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages.Store;

internal sealed class MessageStore : IMessageStore
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

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, Guid? value, CancellationToken cancellationToken) =>
        value is { } v ? writer.WriteAsync(v, NpgsqlDbType.Uuid, cancellationToken) : writer.WriteNullAsync(cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken cancellationToken) =>
        value is not null ? writer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken) : writer.WriteNullAsync(cancellationToken);
}
