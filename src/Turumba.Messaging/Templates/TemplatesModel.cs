using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Templates;

internal static class TemplatesModel
{
    public const string Schema = "messaging";

    public static void Configure(ModelBuilder model) => model.Entity<Template>(template =>
    {
        template.ToTable("templates", Schema);
        template.Property(t => t.Name).HasMaxLength(200);
        template.Property(t => t.Body).HasMaxLength(10_000);
        template.Property(t => t.Subject).HasMaxLength(998);
        template.Property(t => t.HtmlBody).HasMaxLength(100_000);
        template.Property(t => t.Category).HasMaxLength(100);
        template.Property(t => t.ChannelType).HasMaxLength(20);
        template.Property(t => t.Language).HasMaxLength(20);
        template.Property(t => t.ExternalTemplateId).HasMaxLength(200);
        template.Property(t => t.DefaultValues).HasJsonbDictionary();
        template.Property(t => t.FallbackStrategy).HasSnakeCaseConversion();
        template.Property(t => t.ApprovalStatus).HasSnakeCaseConversion();
        template.HasIndex(t => new { t.AccountId, t.CreatedAt });
        template.HasIndex(t => new { t.AccountId, t.Name });
    });
}
