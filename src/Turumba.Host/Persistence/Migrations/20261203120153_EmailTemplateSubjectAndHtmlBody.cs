using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Turumba.Host.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class EmailTemplateSubjectAndHtmlBody : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "html_body",
                schema: "messaging",
                table: "templates",
                type: "character varying(100000)",
                maxLength: 100000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "subject",
                schema: "messaging",
                table: "templates",
                type: "character varying(998)",
                maxLength: 998,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "html_body",
                schema: "messaging",
                table: "templates");

            migrationBuilder.DropColumn(
                name: "subject",
                schema: "messaging",
                table: "templates");
        }
    }
}
