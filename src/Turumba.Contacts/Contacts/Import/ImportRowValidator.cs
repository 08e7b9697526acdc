using FluentValidation;
using Turumba.Platform.Api.Input;

namespace Turumba.Contacts.Contacts.Import;

internal sealed class ImportRowValidator : AbstractValidator<ImportRow>
{
    public ImportRowValidator()
    {
        // CSV cells do not pass the JSON converters that refuse NUL everywhere else.
        RuleFor(r => r.FirstName).WithoutNul().MaximumLength(100);
        RuleFor(r => r.LastName).WithoutNul().MaximumLength(100);
        RuleFor(r => r.Phone).Phone();
        RuleFor(r => r.Email).WithoutNul().ContactEmail();
        RuleFor(r => r.Addresses).WithoutNul();
        RuleFor(r => r.Attributes).WithoutNul();
        RuleFor(r => r.Addresses).Addresses();
        RuleFor(r => r.Addresses).PhoneAddresses();
        RuleFor(r => r.Attributes).Attributes();
        RuleFor(r => r.PreferredChannel).ChannelType();
        RuleFor(r => r)
            .Must(r => r.Phone is not null || r.Email is not null)
            .WithName("phone")
            .WithMessage("An imported contact needs a phone or an email: import matches existing contacts on them.");
    }
}
