using Microsoft.EntityFrameworkCore;

namespace Turumba.Outbox;

/// <summary>
/// The outbox tables (in the schema the context chooses), with the columns, keys and indexes of
/// MassTransit.EntityFrameworkCoreIntegration's <c>AddInboxStateEntity</c>, <c>AddOutboxStateEntity</c>
/// and <c>AddOutboxMessageEntity</c> (names snake_cased by the context's naming convention).
/// </summary>
internal static class OutboxModel
{
    /// <summary>The PostgreSQL channel the <c>outbox_state</c> insert trigger notifies on commit.</summary>
    public const string NotificationChannel = "turumba_outbox";

    public static void Configure(ModelBuilder model, string? schema)
    {
        model.Entity<InboxState>(inbox =>
        {
            inbox.ToTable("inbox_state", schema);
            inbox.HasKey(i => i.Id);
            inbox.Property(i => i.Id).UseIdentityByDefaultColumn();
            inbox.HasAlternateKey(i => new { i.MessageId, i.ConsumerId });
            inbox.HasIndex(i => i.Delivered);
        });

        model.Entity<OutboxState>(outbox =>
        {
            outbox.ToTable("outbox_state", schema);
            outbox.HasKey(o => o.OutboxId);
            outbox.Property(o => o.OutboxId).ValueGeneratedNever();
            outbox.HasIndex(o => o.Created);
        });

        model.Entity<OutboxMessage>(message =>
        {
            message.ToTable("outbox_message", schema);
            message.HasKey(m => m.SequenceNumber);
            message.Property(m => m.SequenceNumber).UseIdentityByDefaultColumn();
            message.Property(m => m.SourceAddress).HasMaxLength(256);
            message.Property(m => m.DestinationAddress).HasMaxLength(256);
            message.Property(m => m.ResponseAddress).HasMaxLength(256);
            message.Property(m => m.FaultAddress).HasMaxLength(256);
            message.Property(m => m.ContentType).HasMaxLength(256);
            // MassTransit's indexes, made partial: a row is indexed only where it has the value, so a bus
            // outbox row costs two index entries instead of five (measured in docs/benchmarks.md).
            message.HasIndex(m => m.ExpirationTime).HasFilter("expiration_time is not null");
            message.HasIndex(m => m.EnqueueTime).HasFilter("enqueue_time is not null");
            message.HasIndex(m => new { m.InboxMessageId, m.InboxConsumerId, m.SequenceNumber }).IsUnique().HasFilter("inbox_message_id is not null");
            message.HasIndex(m => new { m.OutboxId, m.SequenceNumber }).IsUnique().HasFilter("outbox_id is not null");
        });

        model.Entity<OutboxDeadLetter>(dead =>
        {
            dead.ToTable("outbox_dead_letter", schema);
            dead.HasKey(d => d.Id);
            dead.Property(d => d.Id).UseIdentityAlwaysColumn();
            dead.Property(d => d.DestinationAddress).HasMaxLength(256);
            dead.Property(d => d.ContentType).HasMaxLength(256);
            dead.Property(d => d.Reason).HasMaxLength(2000);
            dead.HasIndex(d => d.DeadAt);
        });
    }
}
