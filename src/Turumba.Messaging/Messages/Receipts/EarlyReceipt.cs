using Microsoft.EntityFrameworkCore;
using Turumba.Messaging.Templates;

namespace Turumba.Messaging.Messages.Receipts;

/// <summary>
/// A provider's status report that arrived before the dispatcher recorded the provider's id on the
/// message (the provider answered, posted its callback at once, and the callback overtook the round's
/// outcome statement). Kept an hour and applied by <see cref="EarlyReceiptService"/> once the id is known.
/// </summary>
internal sealed class EarlyReceipt
{
    public long Id { get; set; }

    public Guid ChannelId { get; set; }

    public required string ProviderMessageId { get; set; }

    public required string Status { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}

internal static class EarlyReceiptsModel
{
    public const string Table = "early_receipts";

    public static void Configure(ModelBuilder model) => model.Entity<EarlyReceipt>(receipt =>
    {
        receipt.ToTable(Table, TemplatesModel.Schema);
        receipt.HasKey(r => r.Id);
        receipt.Property(r => r.Id).UseIdentityAlwaysColumn();
        receipt.Property(r => r.Status).HasMaxLength(20);
        receipt.Property(r => r.ReceivedAt).HasDefaultValueSql("now()");
        receipt.HasIndex(r => r.ReceivedAt);
    });
}
