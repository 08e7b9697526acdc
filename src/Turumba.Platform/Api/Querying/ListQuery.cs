using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Turumba.Platform.Api.Querying;

public sealed record FilterClause(string Field, string Operator, string Value);

public sealed record SortClause(string Field, bool Descending);

/// <summary>
/// <c>?filter=field:op:value</c> (repeatable), <c>?sort=field:asc|desc</c> (repeatable or comma
/// separated), <c>skip</c>, <c>limit</c>. Parsed syntax only; fields and operators are checked
/// against a resource's <see cref="ListQueryDefinition{T}"/>.
/// </summary>
public sealed record ListQuery(IReadOnlyList<FilterClause> Filters, IReadOnlyList<SortClause> Sorts, int Skip, int Limit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Minimal API binding: endpoints take a <see cref="ListQuery"/> parameter.</summary>
    public static ValueTask<ListQuery?> BindAsync(HttpContext context) => ValueTask.FromResult<ListQuery?>(Parse(context.Request.Query));

    public static ListQuery Parse(IQueryCollection query)
    {
        var filters = new List<FilterClause>();
        foreach (var raw in query["filter"])
        {
            var parts = (raw ?? string.Empty).Split(':', 3);
            if (Input.Nul.In(raw))
            {
                throw new BadRequestException($"The filter on '{Input.Nul.Strip(parts[0])}' {Input.Nul.Refused}.");
            }

            if (parts.Length < 3 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new BadRequestException($"Filter '{raw}' is malformed: use filter=field:operator:value.");
            }

            filters.Add(new FilterClause(parts[0], parts[1], parts[2]));
        }

        var sorts = new List<SortClause>();
        if (query["sort"].Any(Input.Nul.In))
        {
            throw new BadRequestException($"sort {Input.Nul.Refused}.");
        }

        foreach (var raw in query["sort"].SelectMany(s => (s ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var parts = raw.Split(':');
            var direction = parts.Length > 1 ? parts[1].ToLowerInvariant() : "asc";
            if (parts.Length > 2 || parts[0].Length == 0 || direction is not ("asc" or "desc"))
            {
                throw new BadRequestException($"Sort '{raw}' is malformed: use sort=field:asc or sort=field:desc.");
            }

            sorts.Add(new SortClause(parts[0], direction == "desc"));
        }

        var skip = ReadInt(query, "skip", 0, 0, int.MaxValue);
        var limit = ReadInt(query, "limit", DefaultLimit, 1, MaxLimit);
        return new ListQuery(filters, sorts, skip, limit);
    }

    private static int ReadInt(IQueryCollection query, string name, int fallback, int min, int max)
    {
        var raw = query[name].ToString();
        if (string.IsNullOrEmpty(raw))
        {
            return fallback;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new BadRequestException($"Query parameter '{name}' must be a whole number from {min} to {max}; got '{raw}'.");
        }

        return value;
    }
}
