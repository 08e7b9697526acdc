using FluentValidation;
using Turumba.Platform;

namespace Turumba.Messaging.Templates;

internal static class TemplateRules
{
    public static IRuleBuilderOptions<T, string?> TemplateChannelType<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(t => t is null || ChannelTypes.IsKnown(t)).WithMessage($"channel_type must be one of: {string.Join(", ", ChannelTypes.All)}.");

    public static IRuleBuilderOptions<T, Dictionary<string, string>?> DefaultValues<T>(this IRuleBuilder<T, Dictionary<string, string>?> rule) =>
        rule.Must(d => d is null || (d.Count <= 100 && d.All(p => p.Key.Length is > 0 and <= 64 && p.Value.Length <= 2000)))
            .WithMessage("default_values may hold at most 100 entries, names of 1 to 64 characters, values of at most 2000 characters.");
}
