using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Turumba.Host.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RecipientTimeAndQuietHours : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "deliver_at",
                schema: "scheduling",
                table: "scheduled_messages",
                type: "character varying(23)",
                maxLength: 23,
                nullable: false,
                defaultValue: "schedule_time");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "deferred_until",
                schema: "messaging",
                table: "messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "deliver_at",
                schema: "groups",
                table: "group_messages",
                type: "character varying(23)",
                maxLength: 23,
                nullable: false,
                defaultValue: "schedule_time");

            migrationBuilder.AddColumn<string>(
                name: "timezone",
                schema: "groups",
                table: "group_messages",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<TimeOnly>(
                name: "quiet_hours_end",
                schema: "channels",
                table: "channels",
                type: "time without time zone",
                nullable: true);

            migrationBuilder.AddColumn<TimeOnly>(
                name: "quiet_hours_start",
                schema: "channels",
                table: "channels",
                type: "time without time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "quiet_hours_timezone",
                schema: "channels",
                table: "channels",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            // The scheduling role releases deferred messages by due time; it reads only those.
            migrationBuilder.Sql("create index ix_messages_deferred_until on messaging.messages (deferred_until) where status = 'queued' and deferred_until is not null;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop index if exists messaging.ix_messages_deferred_until;");

            migrationBuilder.DropColumn(
                name: "deliver_at",
                schema: "scheduling",
                table: "scheduled_messages");

            migrationBuilder.DropColumn(
                name: "deferred_until",
                schema: "messaging",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "deliver_at",
                schema: "groups",
                table: "group_messages");

            migrationBuilder.DropColumn(
                name: "timezone",
                schema: "groups",
                table: "group_messages");

            migrationBuilder.DropColumn(
                name: "quiet_hours_end",
                schema: "channels",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "quiet_hours_start",
                schema: "channels",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "quiet_hours_timezone",
                schema: "channels",
                table: "channels");
        }
    }
}
