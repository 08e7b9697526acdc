using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Contacts.Groups.Update;

internal sealed record UpdateContactGroupRequest(string? Name, string? Description);

internal sealed class UpdateContactGroupValidator : AbstractValidator<UpdateContactGroupRequest>
{
    public UpdateContactGroupValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200).When(r => r.Name is not null);
        RuleFor(r => r.Description).MaximumLength(2000);
    }
}

internal static class UpdateContactGroupEndpoint
{
    public static async Task<IResult> HandleAsync(
        Guid id, UpdateContactGroupRequest request, TurumbaDbContext db, CancellationToken cancellationToken)
    {
        var group = await db.Set<ContactGroup>().FirstOrDefaultAsync(g => g.Id == id, cancellationToken)
            ?? throw NotFoundException.For("contact group", id);
        group.Name = request.Name?.Trim() ?? group.Name;
        group.Description = request.Description switch { null => group.Description, "" => null, var d => d };
        await ContactGroupSaving.SaveAsync(db, cancellationToken);
        return ApiResults.Ok(ContactGroupResponse.From(group));
    }
}
