using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Turumba.Host.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ScheduleTriggeredIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_scheduled_messages_triggered_group",
                schema: "scheduling",
                table: "scheduled_messages",
                column: "group_message_id",
                filter: "status = 'triggered'");

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_messages_triggered_message",
                schema: "scheduling",
                table: "scheduled_messages",
                column: "message_id",
                filter: "status = 'triggered'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_scheduled_messages_triggered_group",
                schema: "scheduling",
                table: "scheduled_messages");

            migrationBuilder.DropIndex(
                name: "ix_scheduled_messages_triggered_message",
                schema: "scheduling",
                table: "scheduled_messages");
        }
    }
}
