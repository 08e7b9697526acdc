using Npgsql;
using Turumba.Platform;

namespace Turumba.Contacts.Suppressions;

/// <summary>
/// Adds and lifts suppressions in one statement each, so the API and the signal consumers (a
/// provider's refusal, a STOP reply, the same event delivered twice) agree on what a duplicate is:
/// the row already there, unchanged.
/// </summary>
internal sealed class SuppressionWriter(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, account_id, address, channel_type, reason, source, created_at, updated_at";

    /// <summary>The suppression of (address, channel type), and whether this call created it.</summary>
    public async Task<(Suppression Suppression, bool Created)> AddAsync(
        Guid accountId, string channelType, string address, SuppressionReason reason, string source, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using (var insert = dataSource.CreateCommand(
            $"""
            insert into contacts.{SuppressionsModel.Table} ({Columns}) values ($1, $2, $3, $4, $5, $6, $7, $7)
            on conflict (account_id, address, channel_type) do nothing
            returning {Columns}
            """))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7(at) });
            insert.Parameters.Add(new NpgsqlParameter { Value = accountId });
            insert.Parameters.Add(new NpgsqlParameter { Value = address });
            insert.Parameters.Add(new NpgsqlParameter { Value = channelType });
            insert.Parameters.Add(new NpgsqlParameter { Value = reason.ToSnakeCase() });
            insert.Parameters.Add(new NpgsqlParameter { Value = source });
            insert.Parameters.Add(new NpgsqlParameter { Value = at });
            if (await ReadOneAsync(insert, cancellationToken) is { } created)
            {
                return (created, true);
            }
        }

        await using var select = dataSource.CreateCommand(
            $"select {Columns} from contacts.{SuppressionsModel.Table} where account_id = $1 and address = $2 and channel_type = $3");
        select.Parameters.Add(new NpgsqlParameter { Value = accountId });
        select.Parameters.Add(new NpgsqlParameter { Value = address });
        select.Parameters.Add(new NpgsqlParameter { Value = channelType });
        return (await ReadOneAsync(select, cancellationToken)
            ?? throw new InvalidOperationException("The suppression was lifted while it was being added; try again."), false);
    }

    /// <summary>
    /// Lifts what a recipient's own opt-out put on the list for <paramref name="channelType"/> (and
    /// <c>all</c>); suppressions for other reasons (a block, a bounce, an operator's) stay.
    /// </summary>
    public async Task<int> LiftOptOutAsync(Guid accountId, string channelType, string address, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"delete from contacts.{SuppressionsModel.Table} where account_id = $1 and address = $2 and channel_type in ($3, $4) and reason = $5");
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = address });
        command.Parameters.Add(new NpgsqlParameter { Value = channelType });
        command.Parameters.Add(new NpgsqlParameter { Value = Platform.Addresses.DeliveryAddresses.AllChannels });
        command.Parameters.Add(new NpgsqlParameter { Value = SuppressionReason.OptOut.ToSnakeCase() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Suppression?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new Suppression
        {
            Id = reader.GetGuid(0),
            AccountId = reader.GetGuid(1),
            Address = reader.GetString(2),
            ChannelType = reader.GetString(3),
            Reason = SuppressionReasons.Parse(reader.GetString(4)) ?? SuppressionReason.Manual,
            Source = reader.GetString(5),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(6),
            UpdatedAt = reader.GetFieldValue<DateTimeOffset>(7),
        };
    }
}
