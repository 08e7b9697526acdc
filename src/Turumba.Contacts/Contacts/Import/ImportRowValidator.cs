using FluentValidation;

namespace Turumba.Contacts.Contacts.Import;

internal sealed class ImportRowValidator : AbstractValidator<ImportRow>
{
    public ImportRowValidator()
    {
        RuleFor(r => r.FirstName).MaximumLength(100);
        RuleFor(r => r.LastName).MaximumLength(100);
        RuleFor(r => r.Phone).Phone();
        RuleFor(r => r.Email).ContactEmail();
        RuleFor(r => r.Addresses).Addresses();
        RuleFor(r => r.Attributes).Attributes();
        RuleFor(r => r.PreferredChannel).ChannelType();
        RuleFor(r => r)
            .Must(r => r.Phone is not null || r.Email is not null)
            .WithName("phone")
            .WithMessage("An imported contact needs a phone or an email: import matches existing contacts on them.");
    }
}
