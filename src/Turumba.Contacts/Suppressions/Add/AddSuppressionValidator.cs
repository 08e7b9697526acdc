using FluentValidation;
using Turumba.Platform;
using Turumba.Platform.Addresses;

namespace Turumba.Contacts.Suppressions.Add;

internal sealed class AddSuppressionValidator : AbstractValidator<AddSuppressionRequest>
{
    public AddSuppressionValidator()
    {
        RuleFor(r => r.Address).NotEmpty().MaximumLength(256);
        RuleFor(r => r.ChannelType)
            .Must(t => t is null || t == DeliveryAddresses.AllChannels || ChannelTypes.IsKnown(t))
            .WithMessage($"must be 'all' or one of: {string.Join(", ", ChannelTypes.All)}.");
        RuleFor(r => r.Reason).Must(r => r is null || SuppressionReasons.Parse(r) is not null)
            .WithMessage($"must be one of: {string.Join(", ", SuppressionReasons.Names)}.");
        RuleFor(r => r.Source).MaximumLength(64);
        RuleFor(r => r.Address)
            .Must((r, address) => DeliveryAddresses.Normalize(r.ChannelType ?? DeliveryAddresses.AllChannels, address!) is not null)
            .When(r => !string.IsNullOrWhiteSpace(r.Address))
            .WithMessage("address " + E164.Rule);
    }
}
