using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Turumba.Platform.Persistence;

public static class EnumColumnExtensions
{
    /// <summary>Stores an enum as its snake_case name — the same word the API shows — in a text column.</summary>
    public static PropertyBuilder<TEnum> HasSnakeCaseConversion<TEnum>(this PropertyBuilder<TEnum> property)
        where TEnum : struct, Enum
    {
        var toName = Enum.GetValues<TEnum>().ToDictionary(v => v, v => v.ToSnakeCase());
        var toValue = toName.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        property.HasConversion(v => toName[v], s => toValue[s]).HasMaxLength(toName.Values.Max(n => n.Length) + 8);
        return property;
    }
}
