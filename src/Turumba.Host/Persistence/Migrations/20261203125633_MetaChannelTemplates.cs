using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Turumba.Host.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MetaChannelTemplates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "channel_templates",
                schema: "channels",
                columns: table => new
                {
                    channel_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    language = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    category = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    components = table.Column<string>(type: "jsonb", nullable: false),
                    synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_channel_templates", x => new { x.channel_id, x.name, x.language });
                    table.ForeignKey(
                        name: "fk_channel_templates_channels_channel_id",
                        column: x => x.channel_id,
                        principalSchema: "channels",
                        principalTable: "channels",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "channel_templates",
                schema: "channels");
        }
    }
}
