using Npgsql;

namespace Turumba.Channels;

/// <summary>The provider templates a channel last synced (WhatsApp's WABA), for a send to check the template it names.</summary>
public interface IChannelTemplates
{
    /// <summary>The synced status (<c>APPROVED</c>, <c>PENDING</c>, …) of <paramref name="name"/> in <paramref name="language"/> (any language when null); null when never synced.</summary>
    Task<string?> SyncedStatusAsync(Guid channelId, string name, string? language, CancellationToken cancellationToken);
}

internal sealed class ChannelTemplateLookup(NpgsqlDataSource dataSource) : IChannelTemplates
{
    public async Task<string?> SyncedStatusAsync(Guid channelId, string name, string? language, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select status from channels.channel_templates where channel_id = $1 and name = $2 and ($3::text is null or language = $3) order by language limit 1");
        command.Parameters.Add(new NpgsqlParameter { Value = channelId });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)language ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
