using FluentValidation;

namespace Turumba.Contacts.Contacts.Create;

internal sealed class CreateContactValidator : AbstractValidator<CreateContactRequest>
{
    public CreateContactValidator()
    {
        RuleFor(r => r.FirstName).MaximumLength(100);
        RuleFor(r => r.LastName).MaximumLength(100);
        RuleFor(r => r.Phone).Phone();
        RuleFor(r => r.Email).ContactEmail();
        RuleFor(r => r.Addresses).Addresses();
        RuleFor(r => r.Addresses).PhoneAddresses();
        RuleFor(r => r.Attributes).Attributes();
        RuleFor(r => r.PreferredChannel).ChannelType();
        RuleFor(r => r)
            .Must(r => r.Phone is not null || r.Email is not null || r.Addresses is { Count: > 0 })
            .WithName("phone")
            .WithMessage("A contact needs at least one way to reach it: phone, email or an entry in addresses.");
    }
}
