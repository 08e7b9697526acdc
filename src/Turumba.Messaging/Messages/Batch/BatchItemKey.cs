using Microsoft.EntityFrameworkCore;
using Turumba.Messaging.Templates;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages.Batch;

/// <summary>
/// A batch item's <c>idempotency_key</c> and the message it made, kept 24 hours: an item repeating the
/// key (in any later batch) is answered with that message instead of making another. Written in the
/// batch's transaction, so the key and its message commit together or not at all.
/// </summary>
internal sealed class BatchItemKey
{
    public const int MaxKeyLength = 255;

    public Guid AccountId { get; set; }

    public required string Key { get; set; }

    /// <summary>SHA-256 of the item's JSON as sent: the same key with another item is refused.</summary>
    public required byte[] Fingerprint { get; set; }

    public Guid MessageId { get; set; }

    /// <summary>The status the message was created with (queued or scheduled), replayed as the first answer was.</summary>
    public MessageStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal static class BatchItemKeysModel
{
    public const string Table = "batch_item_keys";

    public static void Configure(ModelBuilder model) => model.Entity<BatchItemKey>(key =>
    {
        key.ToTable(Table, TemplatesModel.Schema);
        key.HasKey(k => new { k.AccountId, k.Key });
        key.Property(k => k.Key).HasMaxLength(BatchItemKey.MaxKeyLength);
        key.Property(k => k.Status).HasSnakeCaseConversion().HasMaxLength(20);
        key.HasIndex(k => k.CreatedAt);
    });
}
