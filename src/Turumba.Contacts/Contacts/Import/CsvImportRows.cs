using Turumba.Platform.Api;

namespace Turumba.Contacts.Contacts.Import;

/// <summary>
/// Maps CSV columns to import rows: <c>first_name, last_name, phone, email, preferred_channel</c>,
/// <c>address.&lt;channel type&gt;</c> and <c>attribute.&lt;name&gt;</c>. Empty cells are absent values.
/// </summary>
internal static class CsvImportRows
{
    private static readonly string[] Plain = ["first_name", "last_name", "phone", "email", "preferred_channel"];

    public static List<ImportRow> Parse(string csv)
    {
        List<string[]> rows;
        try
        {
            rows = CsvReader.ReadRows(csv).ToList();
        }
        catch (FormatException ex)
        {
            throw new BadRequestException(ex.Message);
        }

        if (rows.Count == 0)
        {
            throw new BadRequestException("The CSV is empty: it needs a header row and at least one contact.");
        }

        var header = rows[0].Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var unknown = header.Where(h => !Plain.Contains(h) && !h.StartsWith("address.", StringComparison.Ordinal) && !h.StartsWith("attribute.", StringComparison.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new BadRequestException(
                $"Unknown CSV column(s): {string.Join(", ", unknown)}. Columns: {string.Join(", ", Plain)}, address.<channel type>, attribute.<name>.");
        }

        return rows.Skip(1).Select(cells => ToRow(header, cells)).ToList();
    }

    private static ImportRow ToRow(string[] header, string[] cells)
    {
        string? Cell(string name)
        {
            var index = Array.IndexOf(header, name);
            return index >= 0 && index < cells.Length && cells[index].Trim().Length > 0 ? cells[index].Trim() : null;
        }

        Dictionary<string, string>? Prefixed(string prefix)
        {
            var values = new Dictionary<string, string>();
            for (var i = 0; i < header.Length && i < cells.Length; i++)
            {
                if (header[i].StartsWith(prefix, StringComparison.Ordinal) && cells[i].Trim().Length > 0)
                {
                    values[header[i][prefix.Length..]] = cells[i].Trim();
                }
            }

            return values.Count == 0 ? null : values;
        }

        return new ImportRow(Cell("first_name"), Cell("last_name"), Cell("phone"), Cell("email"),
            Prefixed("address."), Prefixed("attribute."), Cell("preferred_channel"));
    }
}
