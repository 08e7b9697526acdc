using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Turumba.Messaging.Templates;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages;

internal static class MessagesModel
{
    public const string Table = "messages";

    public static void Configure(ModelBuilder model) => model.Entity<Message>(message =>
    {
        // Table and indexes are created by MessagePartitions.CreateTableSql: EF cannot declare PARTITION BY.
        message.ToTable(Table, TemplatesModel.Schema);
        message.HasKey(m => new { m.Id, m.CreatedAt });
        message.Property(m => m.Direction).HasSnakeCaseConversion();
        message.Property(m => m.Status).HasSnakeCaseConversion();
        message.Property(m => m.DeliveryAddress).HasMaxLength(320);
        message.Property(m => m.ProviderMessageId).HasMaxLength(200);
        message.Property(m => m.Metadata).HasColumnType("jsonb").HasConversion(
            v => v.ToJsonString(null), s => JsonNode.Parse(s, null, default)!.AsObject(), JsonObjectComparer);
        message.Property(m => m.ErrorDetails).HasColumnType("jsonb").HasConversion(
            v => v == null ? null : v.ToJsonString(null), s => s == null ? null : JsonNode.Parse(s, null, default)!.AsObject(), JsonObjectComparer!);
    });

    private static readonly ValueComparer<JsonObject> JsonObjectComparer = new(
        (a, b) => JsonNode.DeepEquals(a, b),
        v => v == null ? 0 : v.ToJsonString(null).GetHashCode(StringComparison.Ordinal),
        v => v.DeepClone().AsObject());
}
