using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Turumba.Messaging.Messages;
using Turumba.Platform;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages.Store;

internal sealed class MessageStore(NpgsqlDataSource dataSource, TimeProvider clock) : IMessageStore
{
    private const string CopyCommand = """
        copy messaging.messages (id, created_at, updated_at, account_id, channel_id, contact_id, group_message_id, template_id,
                                 direction, status, delivery_address, message_body, original_template, attempts, metadata,
                                 scheduled_at, deferred_until)
        from stdin (format binary)
        """;

    private static readonly string Outbound = MessageDirection.Outbound.ToSnakeCase();
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>(StringComparer.Ordinal);

    // A report only moves a message forward (MessageStatusOrder); of several reports for one message the furthest wins.
    // With $7, a report naming no message yet is parked in early_receipts (EarlyReceiptService applies it later).
    private static readonly string ApplyReportsSql = $"""
        with report as (
            select distinct on (r.channel_id, r.provider_message_id) r.*
              from unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[])
                   as r(channel_id, provider_message_id, status, occurred_at, error_code, error_message)
             order by r.channel_id, r.provider_message_id, {MessageStatusOrder.SqlRank("r.status")} desc
        ),
        parked as (
            insert into messaging.early_receipts (channel_id, provider_message_id, status, occurred_at, error_code, error_message)
            select r.channel_id, r.provider_message_id, r.status, r.occurred_at, r.error_code, r.error_message
              from report r
             where $7
               and not exists (select 1 from messaging.messages m
                                where m.channel_id = r.channel_id and m.provider_message_id = r.provider_message_id and m.direction = 'outbound')
        ),
        applied as (
        update messaging.messages m
           set status = report.status,
               updated_at = now(),
               delivered_at = case when report.status in ('delivered', 'read') then coalesce(m.delivered_at, report.occurred_at) else m.delivered_at end,
               read_at = case when report.status = 'read' then report.occurred_at else m.read_at end,
               failed_at = case when report.status = 'failed' then report.occurred_at else m.failed_at end,
               error_details = case when report.status = 'failed'
                                    then jsonb_build_object('code', report.error_code, 'message', report.error_message)
                                    else m.error_details end
          from report
          join messaging.messages old on old.channel_id = report.channel_id and old.provider_message_id = report.provider_message_id
         where m.id = old.id and m.created_at = old.created_at
           and m.channel_id = report.channel_id
           and m.provider_message_id = report.provider_message_id
           and m.direction = 'outbound'
           and {MessageStatusOrder.SqlRank("report.status")} > {MessageStatusOrder.SqlRank("m.status")}
        returning m.id, m.created_at, m.account_id, m.channel_id, m.group_message_id, m.status, old.status as previous
        )
        select * from applied
        """;

    // A watermark moves only messages that went out (sent, delivered): a failed message was never delivered.
    // Several reports may cover one message; the furthest status wins. created_at <= watermark prunes partitions.
    private static readonly string ApplyWatermarksSql = $"""
        with report as (
            select * from unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[])
                       as r(channel_id, address, status, watermark, occurred_at)
        ),
        target as (
            select distinct on (m.id) m.id, m.created_at, m.status as old_status, r.status, r.occurred_at
              from report r
              join messaging.messages m on m.channel_id = r.channel_id and m.delivery_address = r.address
             where m.direction = 'outbound'
               and m.status in ('sent', 'delivered')
               and m.created_at <= r.watermark
               and m.sent_at <= r.watermark
               and {MessageStatusOrder.SqlRank("r.status")} > {MessageStatusOrder.SqlRank("m.status")}
             order by m.id, {MessageStatusOrder.SqlRank("r.status")} desc
        )
        update messaging.messages m
           set status = t.status,
               updated_at = now(),
               delivered_at = coalesce(m.delivered_at, t.occurred_at),
               read_at = case when t.status = 'read' then t.occurred_at else m.read_at end
          from target t
         where m.id = t.id and m.created_at = t.created_at and m.status = t.old_status
        returning m.id, m.created_at, m.account_id, m.channel_id, m.group_message_id, m.status, t.old_status
        """;

    private static readonly Dictionary<string, MessageStatus> StatusByName = Enum.GetValues<MessageStatus>().ToDictionary(s => s.ToSnakeCase(), s => s, StringComparer.Ordinal);

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
                await writer.WriteAsync(m.Status.ToSnakeCase(), NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(m.DeliveryAddress, NpgsqlDbType.Varchar, cancellationToken);
                await WriteNullableAsync(writer, m.MessageBody, cancellationToken);
                await WriteNullableAsync(writer, m.OriginalTemplate, cancellationToken);
                await writer.WriteAsync(0, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(m.Metadata is { Count: > 0 } metadata ? metadata.ToJsonString() : "{}", NpgsqlDbType.Jsonb, cancellationToken);
                await WriteNullableAsync(writer, m.ScheduledAt, cancellationToken);
                await WriteNullableAsync(writer, m.DeferredUntil, cancellationToken);
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

    public async Task<IReadOnlyList<MessageForDispatch>> TryStartSendingAsync(IReadOnlyList<MessageKey> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        // created_at is part of the key so each row is found in its own monthly partition. A message
        // deferred to a later time is not claimable before it, whatever command arrives: the last gate.
        await using var command = dataSource.CreateCommand(
            """
            update messaging.messages m set status = 'sending', updated_at = now()
              from unnest($1::uuid[], $2::timestamptz[]) as k(id, created_at)
             where m.id = k.id and m.created_at = k.created_at and m.status = 'queued' and m.direction = 'outbound'
               and (m.deferred_until is null or m.deferred_until <= $3)
            returning m.id, m.created_at, m.account_id, m.channel_id, m.group_message_id, m.delivery_address,
                      coalesce(m.message_body, ''), m.metadata::text
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.CreatedAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNowForDatabase() });
        var claimed = new List<MessageForDispatch>(keys.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var metadata = reader.GetString(7);
            claimed.Add(new MessageForDispatch(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetGuid(2), reader.GetGuid(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.GetString(5), reader.GetString(6),
                metadata == "{}" ? NoMetadata : StringMetadata(metadata)));
        }

        return claimed;
    }

    public async Task<IReadOnlyList<MessageKey>> StillQueuedAsync(IReadOnlyList<MessageKey> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand(
            """
            select m.id, m.created_at
              from unnest($1::uuid[], $2::timestamptz[]) as k(id, created_at)
              join messaging.messages m on m.id = k.id and m.created_at = k.created_at
             where m.status = 'queued' and (m.deferred_until is null or m.deferred_until <= $3)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.CreatedAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNowForDatabase() });
        return await ReadKeysAsync(command, keys.Count, cancellationToken);
    }

    public async Task<int> RecordOutcomesAsync(IReadOnlyList<DispatchOutcome> outcomes, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
        {
            return 0;
        }

        await using var command = dataSource.CreateCommand(
            """
            update messaging.messages m
               set status = o.status,
                   provider_message_id = coalesce(o.provider_message_id, m.provider_message_id),
                   attempts = o.attempts,
                   sent_at = case when o.status = 'sent' then o.at else m.sent_at end,
                   failed_at = case when o.status = 'sent' then m.failed_at else o.at end,
                   error_details = case when o.status = 'sent' then null
                                        else jsonb_build_object('code', o.error_code, 'message', o.error_message) end,
                   metadata = case when o.provider_metadata is null then m.metadata else m.metadata || o.provider_metadata::jsonb end,
                   updated_at = now()
              from unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::timestamptz[], $9::text[])
                   as o(id, created_at, status, provider_message_id, attempts, error_code, error_message, at, provider_metadata)
             where m.id = o.id and m.created_at = o.created_at and m.status = 'sending'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = outcomes.Select(o => o.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = outcomes.Select(o => o.CreatedAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = outcomes.Select(o => o.Status.ToSnakeCase()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = outcomes.Select(o => o.ProviderMessageId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = outcomes.Select(o => o.Attempts).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = outcomes.Select(o => o.ErrorCode).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = outcomes.Select(o => o.ErrorMessage).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = outcomes.Select(o => o.At).ToArray() });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = outcomes.Select(o => o.ProviderMetadata is { Count: > 0 } m ? JsonSerializer.Serialize(m) : null).ToArray(),
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text,
        });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RequeueAsync(IReadOnlyList<MessageKey> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand(
            """
            update messaging.messages m set status = 'queued', updated_at = now()
              from unnest($1::uuid[], $2::timestamptz[]) as k(id, created_at)
             where m.id = k.id and m.created_at = k.created_at and m.status = 'sending'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.CreatedAt).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stores an inbound message unless the same provider message is stored already; true when stored.</summary>
    public async Task<bool> InsertInboundAsync(InboundMessageRecord message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Skips a provider event already stored (a redelivery): the (channel_id, provider_message_id) index answers it.
        // Two deliveries of one event at once (a webhook's outbox copy and the provider's retry) would both find none,
        // so the check runs under a transaction lock on the event: the second waits, then finds the first.
        // The sender's customer-service window moves in the same statement, and never backwards.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockEvent = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1::text || '/' || $2, 0))", connection, transaction))
        {
            lockEvent.Parameters.Add(new NpgsqlParameter { Value = message.ChannelId });
            lockEvent.Parameters.Add(new NpgsqlParameter { Value = message.ProviderMessageId });
            await lockEvent.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand(
            """
            with inserted as (
              insert into messaging.messages (id, created_at, updated_at, account_id, channel_id, contact_id, direction, status,
                                              delivery_address, message_body, delivered_at, provider_message_id, metadata)
              select $1, $2, $2, $3, $4, $5, 'inbound', 'delivered', $6, $7, $8, $9, $10::jsonb
               where not exists (select 1 from messaging.messages
                                  where channel_id = $4 and provider_message_id = $9 and direction = 'inbound')
              returning 1),
            opened as (
              insert into messaging.customer_windows (channel_id, address, last_inbound_at) values ($4, $6, $8)
              on conflict (channel_id, address) do update
                 set last_inbound_at = greatest(customer_windows.last_inbound_at, excluded.last_inbound_at))
            select count(*) from inserted
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7(now) });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = message.AccountId });
        command.Parameters.Add(new NpgsqlParameter { Value = message.ChannelId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)message.ContactId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = message.SenderAddress });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)message.Body ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = message.ReceivedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = message.ProviderMessageId });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(message.Metadata) });
        var inserted = (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> LastInboundAtAsync(
        Guid channelId, IReadOnlyCollection<string> addresses, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (addresses.Count == 0)
        {
            return found;
        }

        await using var command = dataSource.CreateCommand(
            "select address, last_inbound_at from messaging.customer_windows where channel_id = $1 and address = any($2)");
        command.Parameters.Add(new NpgsqlParameter { Value = channelId });
        command.Parameters.Add(new NpgsqlParameter { Value = addresses.Distinct(StringComparer.Ordinal).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[reader.GetString(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return found;
    }

    /// <summary>
    /// Applies status reports (one statement per batch); the messages they moved, each with the status it
    /// left. With <paramref name="parkUnknown"/>, reports naming a provider id no message has yet are kept
    /// in <c>early_receipts</c> for <see cref="Receipts.EarlyReceiptService"/>.
    /// </summary>
    public async Task<IReadOnlyList<AppliedStatus>> ApplyStatusReportsAsync(IReadOnlyList<StatusReport> reports, CancellationToken cancellationToken, bool parkUnknown = false)
    {
        if (reports.Count == 0)
        {
            return [];
        }

        // One statement for the whole batch.
        await using var command = dataSource.CreateCommand(ApplyReportsSql);
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.ChannelId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.ProviderMessageId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.Status.ToSnakeCase()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.OccurredAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.ErrorCode).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.ErrorMessage).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = parkUnknown });
        var applied = new List<AppliedStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(new AppliedStatus(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetGuid(2), reader.GetGuid(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4), StatusByName[reader.GetString(5)], StatusByName[reader.GetString(6)]));
        }

        return applied;
    }

    /// <summary>Applies watermark reports (one statement per batch); the messages they moved, each with the status it left.</summary>
    public async Task<IReadOnlyList<AppliedStatus>> ApplyWatermarksAsync(IReadOnlyList<WatermarkReport> reports, CancellationToken cancellationToken)
    {
        if (reports.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand(ApplyWatermarksSql);
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.ChannelId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.Address).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.Status.ToSnakeCase()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.Watermark).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reports.Select(r => r.OccurredAt).ToArray() });
        var applied = new List<AppliedStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(new AppliedStatus(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetGuid(2), reader.GetGuid(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4), StatusByName[reader.GetString(5)], StatusByName[reader.GetString(6)]));
        }

        return applied;
    }

    public Task<int> CancelUnsentOfGroupAsync(TurumbaDbContext db, Guid groupMessageId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"update messaging.messages set status = 'cancelled', updated_at = now() where group_message_id = {groupMessageId} and status in ('queued', 'scheduled')",
            cancellationToken);

    public async Task<IReadOnlyList<Guid>> CancelScheduledAsync(TurumbaDbContext db, IReadOnlyList<Guid> messageIds, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand(
            "update messaging.messages set status = 'cancelled', updated_at = now() where id = any($1) and status = 'scheduled' returning id",
            (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.Add(new NpgsqlParameter { Value = messageIds.ToArray() });
        var cancelled = new List<Guid>(messageIds.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cancelled.Add(reader.GetGuid(0));
        }

        return cancelled;
    }

    public async Task<IReadOnlyDictionary<Guid, IReadOnlyDictionary<MessageStatus, int>>> CountOfGroupsAsync(
        IReadOnlyList<Guid> groupMessageIds, CancellationToken cancellationToken)
    {
        var counted = groupMessageIds.Distinct().ToDictionary(id => id, _ => new Dictionary<MessageStatus, int>());
        if (counted.Count == 0)
        {
            return new Dictionary<Guid, IReadOnlyDictionary<MessageStatus, int>>();
        }

        await using var command = dataSource.CreateCommand(
            "select group_message_id, status, count(*) from messaging.messages where group_message_id = any($1) group by group_message_id, status");
        command.Parameters.Add(new NpgsqlParameter { Value = counted.Keys.ToArray() });
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                counted[reader.GetGuid(0)][StatusByName[reader.GetString(1)]] = (int)reader.GetInt64(2);
            }
        }

        return counted.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<MessageStatus, int>)c.Value);
    }

    public async Task<IReadOnlyList<MessageKey>> QueuedOfGroupAsync(Guid groupMessageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select id, created_at from messaging.messages where group_message_id = $1 and status = 'queued' and deferred_until is null");
        command.Parameters.Add(new NpgsqlParameter { Value = groupMessageId });
        return await ReadKeysAsync(command, 0, cancellationToken);
    }

    private static async Task<List<MessageKey>> ReadKeysAsync(NpgsqlCommand command, int capacity, CancellationToken cancellationToken)
    {
        var keys = new List<MessageKey>(capacity);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new MessageKey(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return keys;
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

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, DateTimeOffset? value, CancellationToken cancellationToken) =>
        value is { } v ? writer.WriteAsync(v, NpgsqlDbType.TimestampTz, cancellationToken) : writer.WriteNullAsync(cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken cancellationToken) =>
        value is not null ? writer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken) : writer.WriteNullAsync(cancellationToken);
}
