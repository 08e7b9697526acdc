using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Turumba.Host.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Messages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // EF cannot declare a partitioned table: the table, its indexes and the function that
            // creates monthly partitions (called again by the maintenance role) are written here.
            migrationBuilder.Sql("""
create table messaging.messages (
    id uuid not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    account_id uuid not null,
    channel_id uuid not null,
    contact_id uuid null,
    sent_by_user_id uuid null,
    group_message_id uuid null,
    template_id uuid null,
    direction varchar(16) not null,
    status varchar(26) not null,
    delivery_address varchar(320) not null,
    message_body text null,
    original_template text null,
    scheduled_at timestamptz null,
    sent_at timestamptz null,
    delivered_at timestamptz null,
    read_at timestamptz null,
    failed_at timestamptz null,
    provider_message_id varchar(200) null,
    attempts integer not null default 0,
    metadata jsonb not null default '{}',
    error_details jsonb null,
    constraint pk_messages primary key (id, created_at)
) partition by range (created_at);

create index ix_messages_account_id_created_at on messaging.messages (account_id, created_at desc);
create index ix_messages_account_id_status on messaging.messages (account_id, status);
create index ix_messages_group_message_id on messaging.messages (group_message_id) where group_message_id is not null;
create index ix_messages_channel_id_status on messaging.messages (channel_id, status);
create index ix_messages_channel_id_provider_message_id on messaging.messages (channel_id, provider_message_id)
    where provider_message_id is not null;
""");
            migrationBuilder.Sql("""
create or replace function messaging.ensure_message_partitions(from_time timestamptz, months_ahead integer)
returns integer language plpgsql as $$
declare
    month_start timestamp := date_trunc('month', from_time at time zone 'UTC');
    created integer := 0;
    partition_name text;
begin
    for i in 0..months_ahead loop
        partition_name := format('messages_%s', to_char(month_start, 'YYYY_MM'));
        if to_regclass('messaging.' || partition_name) is null then
            execute format(
                'create table messaging.%I partition of messaging.messages for values from (%L) to (%L)',
                partition_name,
                (month_start at time zone 'UTC'),
                ((month_start + interval '1 month') at time zone 'UTC'));
            created := created + 1;
        end if;
        month_start := month_start + interval '1 month';
    end loop;
    return created;
end $$;
""");
            migrationBuilder.Sql("select messaging.ensure_message_partitions(now(), 3)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop function if exists messaging.ensure_message_partitions(timestamptz, integer)");
            migrationBuilder.DropTable(
                name: "messages",
                schema: "messaging");
        }
    }
}
