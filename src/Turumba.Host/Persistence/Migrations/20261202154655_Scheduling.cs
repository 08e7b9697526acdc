using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Turumba.Host.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Scheduling : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "scheduling");

            migrationBuilder.CreateTable(
                name: "schedule_runs",
                schema: "scheduling",
                columns: table => new
                {
                    scheduled_message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    occurrence_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    triggered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    delay_ms = table.Column<long>(type: "bigint", nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    group_message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    outcome = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_schedule_runs", x => new { x.scheduled_message_id, x.occurrence_at });
                });

            migrationBuilder.CreateTable(
                name: "scheduled_messages",
                schema: "scheduling",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel_id = table.Column<Guid>(type: "uuid", nullable: false),
                    template_id = table.Column<Guid>(type: "uuid", nullable: true),
                    message_body = table.Column<string>(type: "text", nullable: true),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    status = table.Column<string>(type: "character varying(17)", maxLength: 17, nullable: false),
                    send_type = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    delivery_address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    contact_group_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    exclude_contact_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    custom_values = table.Column<string>(type: "jsonb", nullable: false),
                    scheduled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    timezone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    is_recurring = table.Column<bool>(type: "boolean", nullable: false),
                    recurrence_rule = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    recurrence_end_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    next_trigger_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_triggered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    trigger_count = table.Column<int>(type: "integer", nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    group_message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scheduled_messages", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_schedule_runs_account_id_triggered_at",
                schema: "scheduling",
                table: "schedule_runs",
                columns: new[] { "account_id", "triggered_at" });

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_messages_account_id_created_at",
                schema: "scheduling",
                table: "scheduled_messages",
                columns: new[] { "account_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_messages_account_id_status",
                schema: "scheduling",
                table: "scheduled_messages",
                columns: new[] { "account_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_messages_due",
                schema: "scheduling",
                table: "scheduled_messages",
                column: "next_trigger_at",
                filter: "status = 'pending'");

            // Messages posted with a future scheduled_at are released by the scheduling role; it reads only those.
            migrationBuilder.Sql("create index ix_messages_scheduled_at on messaging.messages (scheduled_at) where status = 'scheduled';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop index if exists messaging.ix_messages_scheduled_at;");

            migrationBuilder.DropTable(
                name: "schedule_runs",
                schema: "scheduling");

            migrationBuilder.DropTable(
                name: "scheduled_messages",
                schema: "scheduling");
        }
    }
}
