using System.Text;

namespace Turumba.Messaging;

/// <summary>
/// A template body split once into literal text and placeholders, so rendering it 100,000 times
/// is a walk over a few segments with no parsing. Syntax: <c>{NAME}</c> where NAME is a letter or
/// underscore followed by letters, digits or underscores; <c>{{</c> and <c>}}</c> are literal braces;
/// any other brace is literal text. Names match case-insensitively.
/// </summary>
public sealed class CompiledTemplate
{
    private readonly Segment[] _segments;

    private CompiledTemplate(Segment[] segments, IReadOnlyList<string> variables, int literalLength)
    {
        _segments = segments;
        Variables = variables;
        LiteralLength = literalLength;
    }

    /// <summary>The distinct placeholder names, upper-cased, in order of first use.</summary>
    public IReadOnlyList<string> Variables { get; }

    internal int LiteralLength { get; }

    internal ReadOnlySpan<Segment> Segments => _segments;

    public static CompiledTemplate Compile(string body)
    {
        var segments = new List<Segment>();
        var variables = new List<string>();
        var literal = new StringBuilder();
        var literalLength = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if ((c == '{' || c == '}') && i + 1 < body.Length && body[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }

            if (c == '{' && TryReadName(body, i + 1, out var end))
            {
                Flush();
                var name = body[(i + 1)..end].ToUpperInvariant();
                segments.Add(new Segment(null, name, body[i..(end + 1)]));
                if (!variables.Contains(name))
                {
                    variables.Add(name);
                }

                i = end;
                continue;
            }

            literal.Append(c);
        }

        Flush();
        return new CompiledTemplate([.. segments], variables, literalLength);

        void Flush()
        {
            if (literal.Length > 0)
            {
                segments.Add(new Segment(literal.ToString(), null, null));
                literalLength += literal.Length;
                literal.Clear();
            }
        }
    }

    /// <summary>Finds the closing brace of a valid name starting at <paramref name="start"/>.</summary>
    private static bool TryReadName(string body, int start, out int end)
    {
        end = start;
        if (start >= body.Length || !(char.IsAsciiLetter(body[start]) || body[start] == '_'))
        {
            return false;
        }

        while (end < body.Length && (char.IsAsciiLetterOrDigit(body[end]) || body[end] == '_'))
        {
            end++;
        }

        return end < body.Length && body[end] == '}';
    }

    /// <summary>Literal text, or a placeholder with its name and original spelling.</summary>
    internal readonly record struct Segment(string? Literal, string? Name, string? Placeholder);
}
