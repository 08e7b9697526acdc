using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Groups.Members;

internal sealed record MembershipChange(int Changed, IReadOnlyList<Guid> NotFound, int MemberCount);

/// <summary>
/// Adds and removes members in bulk. Each change locks the group row first, so concurrent
/// changes to one group serialise and <c>member_count</c> always equals the member rows.
/// </summary>
internal sealed class GroupMembership(TurumbaDbContext db)
{
    public const int MaxIdsPerRequest = 10_000;

    public async Task<MembershipChange> AddAsync(Guid accountId, Guid groupId, IReadOnlyCollection<Guid> contactIds, CancellationToken cancellationToken)
    {
        var ids = contactIds.Distinct().ToArray();
        return await InGroupTransactionAsync(accountId, groupId, async () =>
        {
            var found = await db.Database.SqlQuery<Guid>(
                $"select id as \"Value\" from contacts.contacts where account_id = {accountId} and id = any({ids})").ToListAsync(cancellationToken);
            var added = await db.Database.ExecuteSqlAsync(
                $"""
                insert into contacts.contact_group_members (group_id, contact_id, added_at)
                select {groupId}, id, now() from contacts.contacts where account_id = {accountId} and id = any({ids})
                on conflict do nothing
                """, cancellationToken);
            return (added, ids.Except(found).ToList());
        }, cancellationToken);
    }

    public async Task<MembershipChange> RemoveAsync(Guid accountId, Guid groupId, IReadOnlyCollection<Guid> contactIds, CancellationToken cancellationToken)
    {
        var ids = contactIds.Distinct().ToArray();
        return await InGroupTransactionAsync(accountId, groupId, async () =>
        {
            var removed = await db.Database.ExecuteSqlAsync(
                $"delete from contacts.contact_group_members where group_id = {groupId} and contact_id = any({ids})", cancellationToken);
            return (removed, (IReadOnlyList<Guid>)[]);
        }, cancellationToken);
    }

    private async Task<MembershipChange> InGroupTransactionAsync(
        Guid accountId, Guid groupId, Func<Task<(int Changed, IReadOnlyList<Guid> NotFound)>> change, CancellationToken cancellationToken)
    {
        // Joins the caller's transaction when there is one (an import adds its contacts to groups atomically).
        var own = db.Database.CurrentTransaction is null;
        await using var transaction = own ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var locked = await db.Database.SqlQuery<Guid>(
            $"select id as \"Value\" from contacts.contact_groups where id = {groupId} and account_id = {accountId} for update")
            .ToListAsync(cancellationToken);
        if (locked.Count == 0)
        {
            throw NotFoundException.For("contact group", groupId);
        }

        var (changed, notFound) = await change();
        var count = await db.Database.SqlQuery<int>(
            $"""
            update contacts.contact_groups
               set member_count = (select count(*) from contacts.contact_group_members where group_id = {groupId}), updated_at = now()
             where id = {groupId}
            returning member_count as "Value"
            """).ToListAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return new MembershipChange(changed, notFound, count[0]);
    }
}
