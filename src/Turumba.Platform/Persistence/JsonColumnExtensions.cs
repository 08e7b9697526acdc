using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Turumba.Platform.Persistence;

public static class JsonColumnExtensions
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    /// <summary>Stores a string dictionary as a <c>jsonb</c> object, compared by content.</summary>
    public static PropertyBuilder<Dictionary<string, string>> HasJsonbDictionary(
        this PropertyBuilder<Dictionary<string, string>> property)
    {
        var comparer = new ValueComparer<Dictionary<string, string>>(
            (a, b) => a == null ? b == null : b != null && a.Count == b.Count && !a.Except(b).Any(),
            d => d.Aggregate(0, (hash, pair) => HashCode.Combine(hash, pair.Key.GetHashCode(StringComparison.Ordinal), pair.Value.GetHashCode(StringComparison.Ordinal))),
            d => new Dictionary<string, string>(d));
        property
            .HasColumnType("jsonb")
            .HasConversion(
                d => JsonSerializer.Serialize(d, Options),
                s => JsonSerializer.Deserialize<Dictionary<string, string>>(s, Options) ?? new Dictionary<string, string>(),
                comparer);
        return property;
    }
}
