using System.Text.Json;
using Npgsql;
using Turumba.Platform;

namespace Turumba.Contacts.Directory;

/// <summary>
/// The directory over this module's tables, in plain SQL: a group send reads 100,000 contacts
/// through it, 1,000 per round trip, ordered by the primary key (keyset, never OFFSET).
/// </summary>
internal sealed class LocalContactDirectory(NpgsqlDataSource dataSource) : IContactDirectory
{
    private const string Columns = "c.id, c.first_name, c.last_name, c.phone, c.email, c.addresses, c.attributes, c.preferred_channel";

    public async Task<ContactPage> GetGroupMembersAsync(
        Guid accountId,
        IReadOnlyCollection<Guid> groupIds,
        IReadOnlyCollection<Guid> excludedContactIds,
        Guid? after,
        string? suppressedOn,
        int pageSize,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);

        // Walks the memberships, not the contacts: per group an ordered range of the
        // (group_id, contact_id) key, merged and de-duplicated, so a page costs about pageSize index
        // entries per group however large the groups or the contacts table. Excluded and foreign
        // contacts come back as null rows, so the cursor still moves past them. The suppression test is
        // one probe of the (account, address, channel type) index per contact, in the same round trip;
        // the address is the one DirectoryContact.AddressFor picks.
        await using var command = dataSource.CreateCommand(
            $"""
            with scanned as (
                select distinct x.contact_id
                  from unnest($3::uuid[]) as g(id)
                 cross join lateral (select m.contact_id from contacts.contact_group_members m
                                      where m.group_id = g.id and m.contact_id > $2
                                      order by m.contact_id
                                      limit $5) x
                 order by x.contact_id
                 limit $5)
            select s.contact_id, {Columns},
                   $6::text is not null and exists (
                       select 1 from contacts.suppressions x
                        where x.account_id = $1 and x.channel_type in ($6, 'all')
                          and x.address = coalesce(c.addresses ->> $6,
                                                   case when $6 in ('sms', 'smpp', 'whatsapp') then c.phone when $6 = 'email' then c.email end))
              from scanned s
              left join contacts.contacts c on c.id = s.contact_id and c.account_id = $1 and not (c.id = any($4))
             order by s.contact_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = after ?? Guid.Empty });
        command.Parameters.Add(new NpgsqlParameter { Value = groupIds.Distinct().ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = excludedContactIds.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = pageSize });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)suppressedOn ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var contacts = new List<DirectoryContact>(pageSize);
        var scanned = 0;
        var last = Guid.Empty;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                scanned++;
                last = reader.GetGuid(0);
                if (!reader.IsDBNull(1))
                {
                    contacts.Add(ReadContact(reader, 1) with { Suppressed = reader.GetBoolean(9) });
                }
            }
        }

        return new ContactPage(contacts, scanned == pageSize ? last : null);
    }

    public async Task<IReadOnlyList<DirectoryContact>> GetContactsAsync(
        Guid accountId, IReadOnlyCollection<Guid> contactIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"select {Columns} from contacts.contacts c where c.account_id = $1 and c.id = any($2) order by c.id");
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = contactIds.ToArray() });
        return await ReadAsync(command, contactIds.Count, cancellationToken);
    }

    public async Task<IReadOnlyList<Guid>> MissingGroupsAsync(Guid accountId, IReadOnlyCollection<Guid> groupIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select id from contacts.contact_groups where account_id = $1 and id = any($2)");
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = groupIds.ToArray() });
        var found = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetGuid(0));
        }

        return groupIds.Where(id => !found.Contains(id)).Distinct().ToList();
    }

    public async Task<DirectoryContact?> FindByAddressAsync(Guid accountId, string channelType, string address, CancellationToken cancellationToken)
    {
        var fallback = channelType switch
        {
            ChannelTypes.Sms or ChannelTypes.Smpp or ChannelTypes.WhatsApp => "or c.phone = $3",
            ChannelTypes.Email => "or c.email = lower($3)",
            _ => string.Empty,
        };
        await using var command = dataSource.CreateCommand(
            $"select {Columns} from contacts.contacts c where c.account_id = $1 and (c.addresses ->> $2 = $3 {fallback}) order by c.id limit 1");
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = channelType });
        command.Parameters.Add(new NpgsqlParameter { Value = address });
        var found = await ReadAsync(command, 1, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    private static async Task<List<DirectoryContact>> ReadAsync(NpgsqlCommand command, int capacity, CancellationToken cancellationToken)
    {
        var contacts = new List<DirectoryContact>(Math.Min(capacity, 10_000));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            contacts.Add(ReadContact(reader, 0));
        }

        return contacts;
    }

    private static DirectoryContact ReadContact(NpgsqlDataReader reader, int first) => new(
        reader.GetGuid(first),
        reader.IsDBNull(first + 1) ? null : reader.GetString(first + 1),
        reader.IsDBNull(first + 2) ? null : reader.GetString(first + 2),
        reader.IsDBNull(first + 3) ? null : reader.GetString(first + 3),
        reader.IsDBNull(first + 4) ? null : reader.GetString(first + 4),
        ReadMap(reader.GetString(first + 5)),
        ReadMap(reader.GetString(first + 6)),
        reader.IsDBNull(first + 7) ? null : reader.GetString(first + 7));

    private static Dictionary<string, string> ReadMap(string json) =>
        json == "{}" ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
