using Npgsql;

namespace Turumba.Scheduling.Outcomes;

/// <summary>
/// Moves schedules from <c>triggered</c> (their last send was made, its outcome not known yet) to
/// <c>completed</c>, <c>failed</c> or <c>cancelled</c> when that send ends. Only a row still
/// <c>triggered</c> moves, so a late or repeated report (sent, then delivered) changes nothing.
/// </summary>
internal sealed class ScheduleOutcomes(NpgsqlDataSource dataSource)
{
    private const string OfMessagesSql = """
        update scheduling.scheduled_messages s
           set status = o.status, last_error = coalesce(o.error, s.last_error), updated_at = now()
          from unnest($1::uuid[], $2::text[], $3::text[]) as o(send_id, status, error)
         where s.message_id = o.send_id and s.status = 'triggered'
        """;

    private const string OfGroupsSql = """
        update scheduling.scheduled_messages s
           set status = o.status, last_error = coalesce(o.error, s.last_error), updated_at = now()
          from unnest($1::uuid[], $2::text[], $3::text[]) as o(send_id, status, error)
         where s.group_message_id = o.send_id and s.status = 'triggered'
        """;

    public Task<int> FinishMessagesAsync(IReadOnlyList<SendOutcome> outcomes, CancellationToken cancellationToken) =>
        FinishAsync(OfMessagesSql, outcomes, cancellationToken);

    public Task<int> FinishGroupsAsync(IReadOnlyList<SendOutcome> outcomes, CancellationToken cancellationToken) =>
        FinishAsync(OfGroupsSql, outcomes, cancellationToken);

    private async Task<int> FinishAsync(string sql, IReadOnlyList<SendOutcome> outcomes, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
        {
            return 0;
        }

        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = outcomes.Select(o => o.SendId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = outcomes.Select(o => o.Status).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = outcomes.Select(o => o.Error).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>How a schedule's send ended: <see cref="Status"/> is the schedule's new status (<c>completed</c>, <c>failed</c>, <c>cancelled</c>).</summary>
internal sealed record SendOutcome(Guid SendId, string Status, string? Error);
