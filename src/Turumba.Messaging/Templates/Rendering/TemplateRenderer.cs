using System.Buffers;
using Turumba.Platform.Api.Input;

namespace Turumba.Messaging;

/// <summary>
/// Renders a <see cref="CompiledTemplate"/>. A value is looked up in: the send's custom values,
/// the contact's fields (FIRST_NAME, LAST_NAME, EMAIL, PHONE), the contact's attributes, then the
/// template defaults (with <see cref="FallbackStrategy.UseDefault"/>); what is still missing is
/// handled by the fallback strategy. Custom values and defaults should come in dictionaries with
/// a case-insensitive comparer (<see cref="CaseInsensitive"/>); attributes are matched either way.
/// </summary>
public static class TemplateRenderer
{
    /// <exception cref="CaseCollisionException">Two keys differ only in case (the API refuses such maps; a row stored before it did fails here, by name).</exception>
    public static Dictionary<string, string> CaseInsensitive(IEnumerable<KeyValuePair<string, string>>? values)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values ?? [])
        {
            if (!result.TryAdd(key, value))
            {
                throw new CaseCollisionException(CaseCollisions.Find((values ?? []).Select(p => p.Key)));
            }
        }

        return result;
    }

    public static RenderResult Render(CompiledTemplate template, FallbackStrategy fallback, in RenderValues values)
    {
        var segments = template.Segments;
        // One rented array per call holds the resolved values; the only allocation left is the text itself.
        var resolved = ArrayPool<string?>.Shared.Rent(segments.Length);
        try
        {
            return Render(template, fallback, values, resolved);
        }
        finally
        {
            Array.Clear(resolved, 0, segments.Length);
            ArrayPool<string?>.Shared.Return(resolved);
        }
    }

    private static RenderResult Render(CompiledTemplate template, FallbackStrategy fallback, in RenderValues values, string?[] resolved)
    {
        var segments = template.Segments;
        var length = template.LiteralLength;
        List<string>? missing = null;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Name is null)
            {
                continue;
            }

            var value = Resolve(segment.Name, fallback, values);
            if (value is null)
            {
                missing ??= [];
                if (!missing.Contains(segment.Name))
                {
                    missing.Add(segment.Name);
                }

                if (fallback == FallbackStrategy.SkipContact)
                {
                    continue;
                }

                value = segment.Placeholder!;
            }

            resolved[i] = value;
            length += value.Length;
        }

        if (missing is not null && fallback == FallbackStrategy.SkipContact)
        {
            return new RenderResult(null, true, missing);
        }

        var text = string.Create(length, (template, resolved), static (span, state) =>
        {
            var position = 0;
            var parts = state.template.Segments;
            for (var i = 0; i < parts.Length; i++)
            {
                var part = parts[i].Literal ?? state.resolved[i]!;
                part.AsSpan().CopyTo(span[position..]);
                position += part.Length;
            }
        });
        return new RenderResult(text, false, missing ?? RenderResult.NoneMissing);
    }

    private static string? Resolve(string name, FallbackStrategy fallback, in RenderValues values)
    {
        if (values.CustomValues is not null && values.CustomValues.TryGetValue(name, out var custom))
        {
            return custom;
        }

        if (values.Contact is { } contact)
        {
            var field = name switch
            {
                "FIRST_NAME" => contact.FirstName,
                "LAST_NAME" => contact.LastName,
                "EMAIL" => contact.Email,
                "PHONE" => contact.Phone,
                _ => null,
            };
            if (field is not null)
            {
                return field;
            }

            if (FindIgnoringCase(contact.Attributes, name) is { } attribute)
            {
                return attribute;
            }
        }

        return fallback == FallbackStrategy.UseDefault && values.Defaults is not null && values.Defaults.TryGetValue(name, out var fallbackValue)
            ? fallbackValue
            : null;
    }

    private static string? FindIgnoringCase(IReadOnlyDictionary<string, string> values, string name)
    {
        if (values.Count == 0)
        {
            return null;
        }

        if (values.TryGetValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (key, value) in values)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
