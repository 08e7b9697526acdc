using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Persistence;

namespace Turumba.Channels.Channels;

internal static class ChannelsModel
{
    public const string Schema = "channels";

    public static void Configure(ModelBuilder model) => model.Entity<Channel>(channel =>
    {
        channel.ToTable("channels", Schema);
        channel.Property(c => c.Name).HasMaxLength(200);
        channel.Property(c => c.ChannelType).HasMaxLength(20);
        channel.Property(c => c.Provider).HasMaxLength(50);
        channel.Property(c => c.Status).HasSnakeCaseConversion();
        channel.Property(c => c.SenderName).HasMaxLength(100);
        channel.Property(c => c.DefaultCountryCode).HasMaxLength(5);
        channel.Property(c => c.WebhookUrl).HasMaxLength(500);
        channel.Property(c => c.ErrorMessage).HasMaxLength(2000);
        channel.Property(c => c.QuietHoursTimezone).HasMaxLength(64);
        channel.Property(c => c.CostPerSegment).HasPrecision(12, 6);
        channel.HasIndex(c => new { c.AccountId, c.CreatedAt });
        channel.HasIndex(c => new { c.AccountId, c.ChannelType });
    });
}
