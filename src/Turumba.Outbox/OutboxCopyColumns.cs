using Npgsql;
using NpgsqlTypes;

namespace Turumba.Outbox;

/// <summary>The columns the outbox writes with binary COPY, in the order the rows are written.</summary>
internal static class OutboxCopyColumns
{
    public static readonly string[] State =
    [
        nameof(OutboxState.OutboxId), nameof(OutboxState.LockId), nameof(OutboxState.Created),
    ];

    public static readonly string[] Message =
    [
        nameof(OutboxMessage.EnqueueTime), nameof(OutboxMessage.SentTime), nameof(OutboxMessage.Headers), nameof(OutboxMessage.Properties),
        nameof(OutboxMessage.InboxMessageId), nameof(OutboxMessage.InboxConsumerId), nameof(OutboxMessage.OutboxId), nameof(OutboxMessage.MessageId),
        nameof(OutboxMessage.ContentType), nameof(OutboxMessage.MessageType), nameof(OutboxMessage.Body), nameof(OutboxMessage.ConversationId),
        nameof(OutboxMessage.CorrelationId), nameof(OutboxMessage.InitiatorId), nameof(OutboxMessage.RequestId), nameof(OutboxMessage.SourceAddress),
        nameof(OutboxMessage.DestinationAddress), nameof(OutboxMessage.ResponseAddress), nameof(OutboxMessage.FaultAddress), nameof(OutboxMessage.ExpirationTime),
    ];

    public static async Task WriteAsync(NpgsqlBinaryImporter copy, OutboxState state, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken);
        await copy.WriteAsync(state.OutboxId, NpgsqlDbType.Uuid, cancellationToken);
        await copy.WriteAsync(state.LockId, NpgsqlDbType.Uuid, cancellationToken);
        await copy.WriteAsync(state.Created, NpgsqlDbType.TimestampTz, cancellationToken);
    }

    public static async Task WriteAsync(NpgsqlBinaryImporter copy, OutboxMessage message, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken);
        await Nullable(copy, message.EnqueueTime, NpgsqlDbType.TimestampTz, cancellationToken);
        await copy.WriteAsync(message.SentTime, NpgsqlDbType.TimestampTz, cancellationToken);
        await Nullable(copy, message.Headers, NpgsqlDbType.Text, cancellationToken);
        await Nullable(copy, message.Properties, NpgsqlDbType.Text, cancellationToken);
        await Nullable(copy, message.InboxMessageId, NpgsqlDbType.Uuid, cancellationToken);
        await Nullable(copy, message.InboxConsumerId, NpgsqlDbType.Uuid, cancellationToken);
        await Nullable(copy, message.OutboxId, NpgsqlDbType.Uuid, cancellationToken);
        await copy.WriteAsync(message.MessageId, NpgsqlDbType.Uuid, cancellationToken);
        await copy.WriteAsync(message.ContentType, NpgsqlDbType.Varchar, cancellationToken);
        await copy.WriteAsync(message.MessageType, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(message.Body, NpgsqlDbType.Text, cancellationToken);
        await Nullable(copy, message.ConversationId, NpgsqlDbType.Uuid, cancellationToken);
        await Nullable(copy, message.CorrelationId, NpgsqlDbType.Uuid, cancellationToken);
        await Nullable(copy, message.InitiatorId, NpgsqlDbType.Uuid, cancellationToken);
        await Nullable(copy, message.RequestId, NpgsqlDbType.Uuid, cancellationToken);
        await Nullable(copy, message.SourceAddress?.ToString(), NpgsqlDbType.Varchar, cancellationToken);
        await Nullable(copy, message.DestinationAddress?.ToString(), NpgsqlDbType.Varchar, cancellationToken);
        await Nullable(copy, message.ResponseAddress?.ToString(), NpgsqlDbType.Varchar, cancellationToken);
        await Nullable(copy, message.FaultAddress?.ToString(), NpgsqlDbType.Varchar, cancellationToken);
        await Nullable(copy, message.ExpirationTime, NpgsqlDbType.TimestampTz, cancellationToken);
    }

    private static Task Nullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static Task Nullable(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is not null ? copy.WriteAsync(value, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);
}
