using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Turumba.Host.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MetaMessengerWatermarkIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Messenger's delivery and read watermarks name a person, not messages: every message to that
            // person still sent or delivered is looked up by (channel, address). Partial: only messages on their way.
            migrationBuilder.Sql("""
                create index ix_messages_channel_id_delivery_address_sent_at on messaging.messages (channel_id, delivery_address, sent_at)
                 where direction = 'outbound' and status in ('sent', 'delivered');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop index if exists messaging.ix_messages_channel_id_delivery_address_sent_at;");
        }
    }
}
