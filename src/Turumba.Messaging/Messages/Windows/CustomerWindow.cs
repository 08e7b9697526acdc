using Microsoft.EntityFrameworkCore;
using Turumba.Messaging.Templates;

namespace Turumba.Messaging.Messages.Windows;

/// <summary>
/// When a contact last wrote to a channel, one row per (channel, sender address): the start of the
/// customer-service window of channels that have one (WhatsApp, Messenger). Written with every
/// inbound message, read by dispatch before a free-form send.
/// </summary>
internal sealed class CustomerWindow
{
    public Guid ChannelId { get; set; }

    public required string Address { get; set; }

    public DateTimeOffset LastInboundAt { get; set; }
}

internal static class CustomerWindowsModel
{
    public const string Table = "customer_windows";

    public static void Configure(ModelBuilder model) => model.Entity<CustomerWindow>(window =>
    {
        window.ToTable(Table, TemplatesModel.Schema);
        window.HasKey(w => new { w.ChannelId, w.Address });
        window.Property(w => w.Address).HasMaxLength(320);
    });
}
