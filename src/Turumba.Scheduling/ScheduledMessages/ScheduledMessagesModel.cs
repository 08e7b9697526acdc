using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Persistence;

namespace Turumba.Scheduling.ScheduledMessages;

internal static class ScheduledMessagesModel
{
    public const string Schema = "scheduling";

    public static void Configure(ModelBuilder model)
    {
        model.Entity<ScheduledMessage>(schedule =>
        {
            schedule.ToTable("scheduled_messages", Schema);
            schedule.Property(s => s.Name).HasMaxLength(200);
            schedule.Property(s => s.Timezone).HasMaxLength(64);
            schedule.Property(s => s.RecurrenceRule).HasMaxLength(200);
            schedule.Property(s => s.DeliveryAddress).HasMaxLength(320);
            schedule.Property(s => s.Status).HasSnakeCaseConversion();
            schedule.Property(s => s.SendType).HasSnakeCaseConversion();
            schedule.Property(s => s.DeliverAt).HasSnakeCaseConversion();
            schedule.Property(s => s.CustomValues).HasJsonbDictionary();
            schedule.HasIndex(s => new { s.AccountId, s.CreatedAt });
            schedule.HasIndex(s => new { s.AccountId, s.Status });
            // The trigger's only query: pending schedules by due time.
            schedule.HasIndex(s => s.NextTriggerAt).HasFilter("status = 'pending'").HasDatabaseName("ix_scheduled_messages_due");
            // How a triggered schedule's send ending finds it.
            schedule.HasIndex(s => s.MessageId).HasFilter("status = 'triggered'").HasDatabaseName("ix_scheduled_messages_triggered_message");
            schedule.HasIndex(s => s.GroupMessageId).HasFilter("status = 'triggered'").HasDatabaseName("ix_scheduled_messages_triggered_group");
        });
        model.Entity<ScheduleRun>(run =>
        {
            run.ToTable("schedule_runs", Schema);
            run.HasKey(r => new { r.ScheduledMessageId, r.OccurrenceAt });
            run.Property(r => r.Outcome).HasMaxLength(40);
            run.HasIndex(r => new { r.AccountId, r.TriggeredAt });
        });
    }
}
