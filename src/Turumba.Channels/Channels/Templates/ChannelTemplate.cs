using Microsoft.EntityFrameworkCore;

namespace Turumba.Channels.Channels.Templates;

/// <summary>One of a channel's provider templates as last synced (WhatsApp's WABA), one row per (channel, name, language).</summary>
internal sealed class ChannelTemplate
{
    public Guid ChannelId { get; set; }

    public required string Name { get; set; }

    public required string Language { get; set; }

    public string? Category { get; set; }

    /// <summary>As the provider says: <c>APPROVED</c>, <c>PENDING</c>, <c>REJECTED</c>, <c>PAUSED</c>, <c>DISABLED</c>.</summary>
    public required string Status { get; set; }

    public required string Components { get; set; }

    public DateTimeOffset SyncedAt { get; set; }
}

internal static class ChannelTemplatesModel
{
    public static void Configure(ModelBuilder model) => model.Entity<ChannelTemplate>(template =>
    {
        template.ToTable("channel_templates", ChannelsModel.Schema);
        template.HasKey(t => new { t.ChannelId, t.Name, t.Language });
        template.Property(t => t.Name).HasMaxLength(512);
        template.Property(t => t.Language).HasMaxLength(20);
        template.Property(t => t.Category).HasMaxLength(50);
        template.Property(t => t.Status).HasMaxLength(20);
        template.Property(t => t.Components).HasColumnType("jsonb");
        template.HasOne<Channel>().WithMany().HasForeignKey(t => t.ChannelId).OnDelete(DeleteBehavior.Cascade);
    });
}
