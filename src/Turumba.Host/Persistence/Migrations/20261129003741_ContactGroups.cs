using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Turumba.Host.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ContactGroups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "contact_groups",
                schema: "contacts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    member_count = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contact_groups", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "contact_group_members",
                schema: "contacts",
                columns: table => new
                {
                    group_id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contact_group_members", x => new { x.group_id, x.contact_id });
                    table.ForeignKey(
                        name: "fk_contact_group_members_contact_groups_group_id",
                        column: x => x.group_id,
                        principalSchema: "contacts",
                        principalTable: "contact_groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_contact_group_members_contacts_contact_id",
                        column: x => x.contact_id,
                        principalSchema: "contacts",
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_contact_group_members_contact_id_group_id",
                schema: "contacts",
                table: "contact_group_members",
                columns: new[] { "contact_id", "group_id" });

            migrationBuilder.CreateIndex(
                name: "ix_contact_groups_account_id_name",
                schema: "contacts",
                table: "contact_groups",
                columns: new[] { "account_id", "name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "contact_group_members",
                schema: "contacts");

            migrationBuilder.DropTable(
                name: "contact_groups",
                schema: "contacts");
        }
    }
}
