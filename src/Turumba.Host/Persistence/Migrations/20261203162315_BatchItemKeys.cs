using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Turumba.Host.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class BatchItemKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "batch_item_keys",
                schema: "messaging",
                columns: table => new
                {
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    fingerprint = table.Column<byte[]>(type: "bytea", nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_batch_item_keys", x => new { x.account_id, x.key });
                });

            migrationBuilder.CreateIndex(
                name: "ix_batch_item_keys_created_at",
                schema: "messaging",
                table: "batch_item_keys",
                column: "created_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "batch_item_keys",
                schema: "messaging");
        }
    }
}
