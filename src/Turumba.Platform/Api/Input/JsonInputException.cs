using System.Text.Json;

namespace Turumba.Platform.Api.Input;

/// <summary>
/// Well-formed JSON the API refuses (a NUL character, a null inside a map, keys differing only in
/// case, an object over its size limit). A <see cref="JsonException"/> so that the serializer adds
/// the path of the field; rendered as a 422 naming that field (plus <see cref="Member"/>, a key
/// inside it the serializer cannot see).
/// </summary>
public sealed class JsonInputException(string reason, string? member = null) : JsonException(reason)
{
    /// <summary>What is wrong, worded to follow the field's name.</summary>
    public string Reason { get; } = reason;

    public string? Member { get; } = member;

    /// <summary>The field as the API names it: <c>$.custom_values</c> with member <c>name</c> is <c>custom_values.name</c>.</summary>
    public string Field
    {
        get
        {
            var path = (Path ?? "$").TrimStart('$').TrimStart('.');
            return string.IsNullOrEmpty(Member) ? path : path.Length == 0 ? Member : $"{path}.{Member}";
        }
    }
}
