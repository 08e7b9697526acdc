using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Turumba.Outbox;

/// <summary>
/// The few statements EF cannot express (row locks with <c>SKIP LOCKED</c>, insert-if-missing),
/// written against the table and column names the model maps, so a naming convention or schema
/// change cannot leave them behind.
/// </summary>
internal sealed class OutboxSql
{
    private OutboxSql(IModel model)
    {
        var inbox = Table<InboxState>(model, out var inboxStore);
        var state = Table<OutboxState>(model, out var stateStore);
        var message = Table<OutboxMessage>(model, out var messageStore);

        string InboxColumn(string property) => Column<InboxState>(model, inboxStore, property);
        string StateColumn(string property) => Column<OutboxState>(model, stateStore, property);

        // Read committed + FOR UPDATE: a duplicate waits for the first consumer's commit and then sees its result.
        InsertInbox =
            $"insert into {inbox} ({InboxColumn(nameof(InboxState.MessageId))}, {InboxColumn(nameof(InboxState.ConsumerId))}, " +
            $"{InboxColumn(nameof(InboxState.LockId))}, {InboxColumn(nameof(InboxState.Received))}, {InboxColumn(nameof(InboxState.ReceiveCount))}) " +
            $"values ({{0}}, {{1}}, {{2}}, {{3}}, 0) on conflict ({InboxColumn(nameof(InboxState.MessageId))}, {InboxColumn(nameof(InboxState.ConsumerId))}) do nothing";
        LockInbox =
            $"select * from {inbox} where {InboxColumn(nameof(InboxState.MessageId))} = {{0}} and {InboxColumn(nameof(InboxState.ConsumerId))} = {{1}} for update";

        string MessageColumn(string property) => Column<OutboxMessage>(model, messageStore, property);
        CopyOutboxState =
            $"copy {state} ({string.Join(", ", OutboxCopyColumns.State.Select(StateColumn))}) from stdin (format binary)";
        CopyOutboxMessage =
            $"copy {message} ({string.Join(", ", OutboxCopyColumns.Message.Select(MessageColumn))}) from stdin (format binary)";

        // SKIP LOCKED: each delivering instance takes a different outbox; none waits on another.
        LockNextOutboxes =
            $"select * from {state} where {StateColumn(nameof(OutboxState.Delivered))} is null " +
            $"order by {StateColumn(nameof(OutboxState.Created))} limit {{0}} for update skip locked";
    }

    public string InsertInbox { get; }

    public string LockInbox { get; }

    /// <summary>Locks up to {0} undelivered outboxes, oldest first, skipping those other workers hold.</summary>
    public string LockNextOutboxes { get; }

    public string CopyOutboxState { get; }

    public string CopyOutboxMessage { get; }

    public static OutboxSql For(DbContext db) => Cache.GetValue(db.Model, model => new OutboxSql(model));

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IModel, OutboxSql> Cache = new();

    private static string Table<T>(IModel model, out StoreObjectIdentifier store)
    {
        var entity = model.FindEntityType(typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model of this DbContext; configure the outbox tables in its model.");
        store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return entity.GetSchema() is { } schema ? $"{Quote(schema)}.{Quote(entity.GetTableName()!)}" : Quote(entity.GetTableName()!);
    }

    private static string Column<T>(IModel model, StoreObjectIdentifier store, string property) =>
        Quote(model.FindEntityType(typeof(T))!.FindProperty(property)!.GetColumnName(store)!);

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
