using FluentValidation;

namespace Turumba.Platform.Api.Input;

/// <summary>The NUL refusal for input that does not come through the JSON converters (CSV rows).</summary>
public static class NulRules
{
    public static IRuleBuilderOptions<T, string?> WithoutNul<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => !Nul.In(v)).WithMessage("{PropertyName} " + Nul.Refused + ".");

    public static IRuleBuilderOptions<T, Dictionary<string, string>?> WithoutNul<T>(this IRuleBuilder<T, Dictionary<string, string>?> rule) =>
        rule.Must(map => map is null || !map.Any(p => Nul.In(p.Key) || Nul.In(p.Value))).WithMessage("{PropertyName} " + Nul.Refused + ".");
}
