using Microsoft.EntityFrameworkCore;
using Npgsql;
using Turumba.Platform;
using Turumba.Platform.Persistence;
using Turumba.Scheduling.ScheduledMessages;
using ScheduledMessage = Turumba.Scheduling.ScheduledMessages.ScheduledMessage;

namespace Turumba.Scheduling.Trigger;

/// <summary>
/// A trigger batch's writes as two statements on the context's connection, in its transaction: every
/// run in one insert (a run already there is a key violation that rolls the whole batch back, never a
/// second send), every claimed schedule moved on in one update.
/// </summary>
internal static class ScheduleRunWriter
{
    private const string InsertRunsSql = """
        insert into scheduling.schedule_runs (scheduled_message_id, occurrence_at, account_id, triggered_at, delay_ms, message_id, group_message_id, outcome, error)
        select * from unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::timestamptz[], $5::bigint[], $6::uuid[], $7::uuid[], $8::text[], $9::text[])
        """;

    private const string UpdateSchedulesSql = """
        update scheduling.scheduled_messages s
           set status = u.status, next_trigger_at = u.next_trigger_at, last_triggered_at = u.last_triggered_at, trigger_count = u.trigger_count,
               message_id = u.message_id, group_message_id = u.group_message_id, last_error = u.last_error, updated_at = $9
          from unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[], $6::uuid[], $7::uuid[], $8::text[])
               as u(id, status, next_trigger_at, last_triggered_at, trigger_count, message_id, group_message_id, last_error)
         where s.id = u.id
        """;

    public static async Task WriteAsync(
        TurumbaDbContext db, IReadOnlyList<ScheduleRun> runs, IReadOnlyList<ScheduledMessage> schedules, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (runs.Count > 0)
        {
            await using var insert = new NpgsqlCommand(InsertRunsSql, connection);
            Add(insert, runs.Select(r => r.ScheduledMessageId));
            Add(insert, runs.Select(r => r.OccurrenceAt));
            Add(insert, runs.Select(r => r.AccountId));
            Add(insert, runs.Select(r => r.TriggeredAt));
            Add(insert, runs.Select(r => r.DelayMs));
            Add(insert, runs.Select(r => r.MessageId));
            Add(insert, runs.Select(r => r.GroupMessageId));
            Add(insert, runs.Select(r => r.Outcome));
            Add(insert, runs.Select(r => r.Error));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var update = new NpgsqlCommand(UpdateSchedulesSql, connection);
        Add(update, schedules.Select(s => s.Id));
        Add(update, schedules.Select(s => s.Status.ToSnakeCase()));
        Add(update, schedules.Select(s => s.NextTriggerAt));
        Add(update, schedules.Select(s => s.LastTriggeredAt));
        Add(update, schedules.Select(s => s.TriggerCount));
        Add(update, schedules.Select(s => s.MessageId));
        Add(update, schedules.Select(s => s.GroupMessageId));
        Add(update, schedules.Select(s => s.LastError));
        update.Parameters.Add(new NpgsqlParameter { Value = now });
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Add<T>(NpgsqlCommand command, IEnumerable<T> values) => command.Parameters.Add(new NpgsqlParameter { Value = values.ToArray() });
}
