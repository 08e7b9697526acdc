using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Turumba.Host.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SendingSweepIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The sending sweeper looks only at claimed messages; a partial index keeps that cheap on a large table.
            migrationBuilder.Sql("create index ix_messages_sending_updated_at on messaging.messages (updated_at) where status = 'sending';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop index if exists messaging.ix_messages_sending_updated_at;");
        }
    }
}
