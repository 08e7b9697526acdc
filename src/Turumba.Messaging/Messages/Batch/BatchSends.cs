using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Turumba.Messaging.Messages.Create;
using Turumba.Platform;
using Turumba.Platform.Api;
using Turumba.Platform.Api.Idempotency;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages.Batch;

/// <summary>One item of a batch as read from the request: the send it asks for, or why it could not be read.</summary>
internal sealed record BatchItem(int Index, SingleSend? Send, string? Key, byte[]? Fingerprint, ApiException? Error);

/// <summary>
/// A batch of single sends in the caller's transaction: items whose idempotency key made a message
/// before are answered with it; the others are composed as single sends are (<see cref="SingleSends.ComposeManyAsync"/>),
/// their keys claimed, and the messages written with one COPY and their dispatch commands sent a hundred at a time.
/// </summary>
internal sealed class BatchSends(SingleSends sends, TimeProvider clock)
{
    private const string FindKeysSql = """
        select key, fingerprint, message_id, status from messaging.batch_item_keys
         where account_id = $1 and key = any($2) and created_at > $3
        """;

    // Sorted, so two batches sharing keys take their index entries in the same order (no deadlock); an
    // expired key (still there before the hourly cleanup) is taken over. A key another transaction holds
    // waits for it: committed, it is not returned here and the item replays that message.
    private const string ClaimKeysSql = """
        insert into messaging.batch_item_keys (account_id, key, fingerprint, message_id, status, created_at)
        select $1, k.key, k.fingerprint, k.message_id, k.status, $6
          from unnest($2::text[], $3::bytea[], $4::uuid[], $5::text[]) as k(key, fingerprint, message_id, status)
         order by k.key
        on conflict (account_id, key) do update
           set fingerprint = excluded.fingerprint, message_id = excluded.message_id, status = excluded.status, created_at = excluded.created_at
         where batch_item_keys.created_at <= $7
        returning key
        """;

    private static readonly Dictionary<string, MessageStatus> StatusByName =
        Enum.GetValues<MessageStatus>().ToDictionary(s => s.ToSnakeCase(), s => s, StringComparer.Ordinal);

    public async Task<IReadOnlyList<BatchItemResult>> SendAsync(
        TurumbaDbContext db, ISendEndpointProvider sendEndpoints, Guid accountId, IReadOnlyList<BatchItem> items, CancellationToken cancellationToken)
    {
        var results = new BatchItemResult?[items.Count];
        var pending = new List<BatchItem>(items.Count);
        var firstWithKey = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item.Error is not null)
            {
                results[item.Index] = BatchItemResult.Rejected(item.Index, item.Error);
            }
            else if (item.Key is not null && !firstWithKey.TryAdd(item.Key, item.Index))
            {
                results[item.Index] = BatchItemResult.Rejected(item.Index, RequestValidationException.For("idempotency_key",
                    $"This idempotency_key is also used by item {firstWithKey[item.Key]} of this batch; each item needs its own."));
            }
            else
            {
                pending.Add(item);
            }
        }

        var expiry = clock.GetUtcNowForDatabase() - IdempotencyFilter.Lifetime;
        var used = await FindKeysAsync(db, accountId, pending.Where(i => i.Key is not null).Select(i => i.Key!).ToList(), expiry, cancellationToken);
        pending = pending.Where(item => !Replayed(item, used, results)).ToList();

        var composed = await sends.ComposeManyAsync(db, pending.Select(i => i.Send!).ToList(), cancellationToken);
        var made = new List<(BatchItem Item, Message Message)>(pending.Count);
        foreach (var (item, result) in pending.Zip(composed.Results))
        {
            if (result.Message is { } message)
            {
                made.Add((item, message));
            }
            else
            {
                results[item.Index] = BatchItemResult.Rejected(item.Index, result.Error!);
            }
        }

        var keyed = made.Where(m => m.Item.Key is not null).ToList();
        var claimed = await ClaimKeysAsync(db, accountId, keyed, expiry, cancellationToken);
        if (claimed.Count < keyed.Count)
        {
            // Another batch committed these keys after the lookup above: the item is its message, not a second one.
            var lost = keyed.Where(m => !claimed.Contains(m.Item.Key!)).ToList();
            var taken = await FindKeysAsync(db, accountId, lost.Select(m => m.Item.Key!).ToList(), expiry, cancellationToken);
            foreach (var (item, _) in lost)
            {
                if (!Replayed(item, taken, results))
                {
                    throw new InvalidOperationException($"The idempotency key of item {item.Index} was neither claimed nor found.");
                }
            }

            made = made.Where(m => m.Item.Key is null || claimed.Contains(m.Item.Key)).ToList();
        }

        await sends.WriteManyAsync(db, sendEndpoints, made.Select(m => m.Message).ToList(), composed.Channels, cancellationToken);
        foreach (var (item, message) in made)
        {
            results[item.Index] = BatchItemResult.Created(item.Index, message.Id, message.Status, replayed: false);
        }

        return results.Select(r => r!).ToList();
    }

    /// <summary>True when the item's key made a message before: the item is answered with it, or refused when the key came with another item.</summary>
    private static bool Replayed(BatchItem item, IReadOnlyDictionary<string, UsedKey> used, BatchItemResult?[] results)
    {
        if (item.Key is null || !used.TryGetValue(item.Key, out var found))
        {
            return false;
        }

        results[item.Index] = found.Fingerprint.AsSpan().SequenceEqual(item.Fingerprint)
            ? BatchItemResult.Created(item.Index, found.MessageId, found.Status, replayed: true)
            : BatchItemResult.Rejected(item.Index, RequestValidationException.For("idempotency_key",
                "This idempotency_key was already used within the last 24 hours for a different message."));
        return true;
    }

    private static async Task<IReadOnlyDictionary<string, UsedKey>> FindKeysAsync(
        TurumbaDbContext db, Guid accountId, IReadOnlyList<string> keys, DateTimeOffset expiry, CancellationToken cancellationToken)
    {
        var used = new Dictionary<string, UsedKey>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return used;
        }

        await using var command = Command(db, FindKeysSql);
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = expiry });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            used[reader.GetString(0)] = new UsedKey((byte[])reader.GetValue(1), reader.GetGuid(2), StatusByName[reader.GetString(3)]);
        }

        return used;
    }

    private async Task<HashSet<string>> ClaimKeysAsync(
        TurumbaDbContext db, Guid accountId, IReadOnlyList<(BatchItem Item, Message Message)> keyed, DateTimeOffset expiry, CancellationToken cancellationToken)
    {
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        if (keyed.Count == 0)
        {
            return claimed;
        }

        await using var command = Command(db, ClaimKeysSql);
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = keyed.Select(k => k.Item.Key!).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = keyed.Select(k => k.Item.Fingerprint!).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = keyed.Select(k => k.Message.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = keyed.Select(k => k.Message.Status.ToSnakeCase()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNowForDatabase() });
        command.Parameters.Add(new NpgsqlParameter { Value = expiry });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(reader.GetString(0));
        }

        return claimed;
    }

    /// <summary>A command on the context's connection, in its current transaction (the caller holds one).</summary>
    private static NpgsqlCommand Command(TurumbaDbContext db, string sql)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
            ?? throw new InvalidOperationException("A batch is written in the caller's transaction.");
        return new NpgsqlCommand(sql, transaction.Connection, transaction);
    }

    private sealed record UsedKey(byte[] Fingerprint, Guid MessageId, MessageStatus Status);
}
