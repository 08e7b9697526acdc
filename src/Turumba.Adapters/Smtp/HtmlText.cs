using System.Text;
using MimeKit.Text;

namespace Turumba.Adapters.Smtp;

/// <summary>
/// The plain-text part derived from an HTML body (for an email that has only HTML): text with
/// entities decoded and whitespace collapsed, a line break per <c>br</c>, a blank line between
/// blocks, links as "text (url)", scripts, styles and the head left out. Uses MimeKit's HTML tokenizer.
/// </summary>
internal static class HtmlText
{
    private static readonly HashSet<HtmlTagId> Blocks =
    [
        HtmlTagId.P, HtmlTagId.Div, HtmlTagId.H1, HtmlTagId.H2, HtmlTagId.H3, HtmlTagId.H4, HtmlTagId.H5, HtmlTagId.H6,
        HtmlTagId.UL, HtmlTagId.OL, HtmlTagId.Table, HtmlTagId.TR, HtmlTagId.BlockQuote, HtmlTagId.Pre, HtmlTagId.HR,
    ];

    private static readonly HashSet<HtmlTagId> Hidden = [HtmlTagId.Script, HtmlTagId.Style, HtmlTagId.Head, HtmlTagId.Title];

    public static string Convert(string html)
    {
        var text = new StringBuilder();
        var hidden = 0;
        string? href = null;
        var linkStart = 0;
        using var reader = new StringReader(html);
        var tokenizer = new HtmlTokenizer(reader) { DecodeCharacterReferences = true };
        while (tokenizer.ReadNextToken(out var token))
        {
            if (token is HtmlDataToken data && token.Kind == HtmlTokenKind.Data)
            {
                if (hidden == 0)
                {
                    AppendCollapsed(text, data.Data);
                }

                continue;
            }

            if (token is not HtmlTagToken tag)
            {
                continue;
            }

            if (Hidden.Contains(tag.Id))
            {
                hidden = Math.Max(0, hidden + (tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1));
            }
            else if (tag.Id == HtmlTagId.Br)
            {
                TrimTrailingSpace(text);
                text.Append('\n');
            }
            else if (tag.Id == HtmlTagId.LI && !tag.IsEndTag)
            {
                Break(text, 1);
                text.Append("- ");
            }
            else if (Blocks.Contains(tag.Id))
            {
                Break(text, 2);
            }
            else if (tag.Id == HtmlTagId.A && !tag.IsEndTag)
            {
                href = tag.Attributes.FirstOrDefault(a => a.Id == HtmlAttributeId.Href)?.Value;
                linkStart = text.Length;
            }
            else if (tag.Id == HtmlTagId.A && href is { Length: > 0 } url)
            {
                var label = text.ToString(linkStart, text.Length - linkStart).Trim();
                if (!string.Equals(label, url, StringComparison.Ordinal) && !url.StartsWith('#'))
                {
                    text.Append(" (").Append(url).Append(')');
                }

                href = null;
            }
        }

        return string.Join('\n', text.ToString().Split('\n').Select(line => line.Trim())).Trim();
    }

    private static void AppendCollapsed(StringBuilder text, string data)
    {
        foreach (var c in data)
        {
            if (char.IsWhiteSpace(c))
            {
                if (text.Length > 0 && !char.IsWhiteSpace(text[^1]))
                {
                    text.Append(' ');
                }
            }
            else
            {
                text.Append(c);
            }
        }
    }

    private static void TrimTrailingSpace(StringBuilder text)
    {
        while (text.Length > 0 && text[^1] == ' ')
        {
            text.Length--;
        }
    }

    private static void Break(StringBuilder text, int lines)
    {
        TrimTrailingSpace(text);
        if (text.Length == 0)
        {
            return;
        }

        var have = 0;
        for (var i = text.Length - 1; i >= 0 && text[i] == '\n'; i--)
        {
            have++;
        }

        text.Append('\n', Math.Max(0, lines - have));
    }
}
