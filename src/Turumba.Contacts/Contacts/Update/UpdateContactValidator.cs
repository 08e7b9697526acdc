using FluentValidation;

namespace Turumba.Contacts.Contacts.Update;

internal sealed class UpdateContactValidator : AbstractValidator<UpdateContactRequest>
{
    public UpdateContactValidator()
    {
        RuleFor(r => r.FirstName).MaximumLength(100);
        RuleFor(r => r.LastName).MaximumLength(100);
        RuleFor(r => r.Phone).Phone().When(r => r.Phone != string.Empty);
        RuleFor(r => r.Email).ContactEmail().When(r => r.Email != string.Empty);
        RuleFor(r => r.Addresses).Addresses();
        RuleFor(r => r.Addresses).PhoneAddresses();
        RuleFor(r => r.Attributes).Attributes();
        RuleFor(r => r.PreferredChannel).ChannelType().When(r => r.PreferredChannel != string.Empty);
    }
}
