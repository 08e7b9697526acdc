using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Turumba.Host.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ScheduleNotify : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Wakes the scheduling trigger (LISTEN turumba_schedules) when a pending schedule is inserted or its
            // time or status changes. NOTIFY is transactional: it is delivered at the commit of the change, never
            // for a rolled-back one, and PostgreSQL folds the identical notifications of one transaction into one.
            migrationBuilder.Sql("""
                create function scheduling.notify_schedule_changed() returns trigger language plpgsql as $$
                begin
                    if tg_op = 'INSERT' or new.next_trigger_at is distinct from old.next_trigger_at or new.status is distinct from old.status then
                        perform pg_notify('turumba_schedules', '');
                    end if;
                    return null;
                end $$;
                create trigger scheduled_messages_notify after insert or update of status, next_trigger_at on scheduling.scheduled_messages
                    for each row when (new.status = 'pending') execute function scheduling.notify_schedule_changed();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop trigger if exists scheduled_messages_notify on scheduling.scheduled_messages; drop function if exists scheduling.notify_schedule_changed();");
        }
    }
}
