using FluentValidation;
using Microsoft.AspNetCore.Http;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;
using Turumba.Platform.Tenancy;

namespace Turumba.Contacts.Groups.Create;

internal sealed record CreateContactGroupRequest(string? Name, string? Description);

internal sealed class CreateContactGroupValidator : AbstractValidator<CreateContactGroupRequest>
{
    public CreateContactGroupValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Description).MaximumLength(2000);
    }
}

internal static class CreateContactGroupEndpoint
{
    public static async Task<IResult> HandleAsync(
        CreateContactGroupRequest request, TurumbaDbContext db, ICurrentAccount account, CancellationToken cancellationToken)
    {
        var group = new ContactGroup { AccountId = account.RequiredAccountId, Name = request.Name!.Trim(), Description = request.Description };
        db.Add(group);
        await ContactGroupSaving.SaveAsync(db, cancellationToken);
        return ApiResults.Created($"/v1/contact-groups/{group.Id}", ContactGroupResponse.From(group));
    }
}
