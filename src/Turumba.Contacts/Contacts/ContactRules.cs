using FluentValidation;
using FluentValidation.Results;
using Turumba.Platform;
using Turumba.Platform.Addresses;

namespace Turumba.Contacts.Contacts;

/// <summary>Field rules shared by create and update.</summary>
internal static class ContactRules
{
    public static IRuleBuilderOptions<T, string?> Phone<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(p => p is null || E164.Normalize(p) is not null)
            .WithMessage("phone " + E164.Rule);

    public static IRuleBuilderOptions<T, string?> ContactEmail<T>(this IRuleBuilder<T, string?> rule) =>
        rule.EmailAddress().MaximumLength(254).WithMessage("email must be a valid address of at most 254 characters.");

    public static IRuleBuilderOptions<T, string?> ChannelType<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(t => t is null || ChannelTypes.IsKnown(t))
            .WithMessage($"must be one of: {string.Join(", ", ChannelTypes.All)}.");

    public static IRuleBuilderOptions<T, Dictionary<string, string>?> Addresses<T>(this IRuleBuilder<T, Dictionary<string, string>?> rule) =>
        rule.Must(a => a is null || a.All(p => ChannelTypes.IsKnown(p.Key) && !string.IsNullOrWhiteSpace(p.Value) && p.Value.Length <= 256))
            .WithMessage($"addresses keys must be channel types ({string.Join(", ", ChannelTypes.All)}) with non-empty values of at most 256 characters.");

    /// <summary>The sms, smpp and whatsapp entries of <c>addresses</c> are phone numbers; each bad one is named (<c>addresses.sms</c>).</summary>
    public static IRuleBuilderOptionsConditions<T, Dictionary<string, string>?> PhoneAddresses<T>(this IRuleBuilder<T, Dictionary<string, string>?> rule) =>
        rule.Custom((addresses, context) =>
        {
            foreach (var (type, address) in addresses ?? [])
            {
                if (DeliveryAddresses.IsPhoneChannel(type) && !string.IsNullOrWhiteSpace(address) && E164.Normalize(address) is null)
                {
                    context.AddFailure(new ValidationFailure($"addresses.{type}", $"addresses.{type} " + E164.Rule));
                }
            }
        });

    public static IRuleBuilderOptions<T, Dictionary<string, string>?> Attributes<T>(this IRuleBuilder<T, Dictionary<string, string>?> rule) =>
        rule.Must(a => a is null || (a.Count <= 100 && a.All(p => p.Key.Length is > 0 and <= 64 && p.Value.Length <= 2000)))
            .WithMessage("attributes may hold at most 100 entries, names of 1 to 64 characters, values of at most 2000 characters.");
}
