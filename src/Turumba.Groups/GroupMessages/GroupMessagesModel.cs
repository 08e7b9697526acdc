using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Persistence;

namespace Turumba.Groups.GroupMessages;

internal static class GroupMessagesModel
{
    public const string Schema = "groups";

    public static void Configure(ModelBuilder model) => model.Entity<GroupMessage>(group =>
    {
        group.ToTable("group_messages", Schema);
        group.Property(g => g.Name).HasMaxLength(200);
        group.Property(g => g.Status).HasSnakeCaseConversion();
        group.Property(g => g.DeliverAt).HasSnakeCaseConversion();
        group.Property(g => g.Timezone).HasMaxLength(64);
        group.Property(g => g.CustomValues).HasJsonbDictionary();
        group.HasIndex(g => new { g.AccountId, g.CreatedAt });
        group.HasIndex(g => new { g.AccountId, g.Status });
    });
}
