using Npgsql;
using Turumba.Platform.Addresses;

namespace Turumba.Contacts.Suppressions;

/// <summary><see cref="ISuppressionList"/> over <c>contacts.suppressions</c>: one index probe per address, one round trip per call.</summary>
internal sealed class LocalSuppressionList(NpgsqlDataSource dataSource) : ISuppressionList
{
    public async Task<IReadOnlySet<string>> SuppressedAsync(
        Guid accountId, string channelType, IReadOnlyCollection<string> addresses, CancellationToken cancellationToken)
    {
        if (addresses.Count == 0)
        {
            return new HashSet<string>();
        }

        await using var command = dataSource.CreateCommand(
            $"select distinct address from contacts.{SuppressionsModel.Table} where account_id = $1 and address = any($2) and channel_type in ($3, $4)");
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = addresses.Distinct().ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = channelType });
        command.Parameters.Add(new NpgsqlParameter { Value = DeliveryAddresses.AllChannels });
        var suppressed = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            suppressed.Add(reader.GetString(0));
        }

        return suppressed;
    }
}
