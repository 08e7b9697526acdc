using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Turumba.Contacts.Contacts;
using Turumba.Platform.Api;
using Turumba.Platform.Api.Querying;
using Turumba.Platform.Persistence;
using Turumba.Platform.Tenancy;

namespace Turumba.Contacts.Groups.Members;

internal sealed record MembersRequest(List<Guid>? ContactIds);

internal sealed record MembersChangedResponse(int Added, int Removed, IReadOnlyList<Guid> NotFound, int MemberCount);

internal sealed class MembersRequestValidator : AbstractValidator<MembersRequest>
{
    public MembersRequestValidator() =>
        RuleFor(r => r.ContactIds).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("contact_ids needs at least one contact id.")
            .Must(ids => ids!.Count <= GroupMembership.MaxIdsPerRequest)
            .WithMessage($"contact_ids may hold at most {GroupMembership.MaxIdsPerRequest} ids per request.");
}

internal static class MembersEndpoints
{
    public static async Task<IResult> AddAsync(
        Guid id, MembersRequest request, GroupMembership membership, ICurrentAccount account, CancellationToken cancellationToken)
    {
        var change = await membership.AddAsync(account.RequiredAccountId, id, request.ContactIds!, cancellationToken);
        return ApiResults.Ok(new MembersChangedResponse(change.Changed, 0, change.NotFound, change.MemberCount));
    }

    public static async Task<IResult> RemoveAsync(
        Guid id, [FromBody] MembersRequest request, GroupMembership membership, ICurrentAccount account, CancellationToken cancellationToken)
    {
        var change = await membership.RemoveAsync(account.RequiredAccountId, id, request.ContactIds!, cancellationToken);
        return ApiResults.Ok(new MembersChangedResponse(0, change.Changed, [], change.MemberCount));
    }

    /// <summary>The group's contacts, oldest member contact first.</summary>
    public static async Task<IResult> ListAsync(Guid id, ListQuery query, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Set<ContactGroup>().AnyAsync(g => g.Id == id, cancellationToken))
        {
            throw NotFoundException.For("contact group", id);
        }

        if (query.Filters.Count > 0 || query.Sorts.Count > 0)
        {
            throw new BadRequestException("Group members take only skip and limit; filter contacts at /v1/contacts.");
        }

        var members = db.Set<Contact>().AsNoTracking()
            .Where(c => db.Set<ContactGroupMember>().Any(m => m.GroupId == id && m.ContactId == c.Id));
        var total = await members.LongCountAsync(cancellationToken);
        var page = await members.OrderBy(c => c.Id).Skip(query.Skip).Take(query.Limit).ToListAsync(cancellationToken);
        return ApiResults.List(page.ConvertAll(ContactResponse.From), total, query);
    }
}
