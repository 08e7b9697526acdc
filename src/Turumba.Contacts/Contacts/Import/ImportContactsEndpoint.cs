using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Turumba.Platform.Api;
using Turumba.Platform.Api.Input;
using Turumba.Platform.Tenancy;

namespace Turumba.Contacts.Contacts.Import;

/// <summary>
/// <c>POST /v1/contacts/import</c>: a JSON array of contacts, a JSON object
/// <c>{"contacts": [...], "group_ids": [...]}</c>, or <c>text/csv</c> (group ids then in <c>?group_ids=a,b</c>).
/// </summary>
internal static class ImportContactsEndpoint
{
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    public static async Task<IResult> HandleAsync(
        HttpRequest request, ContactImporter importer, ICurrentAccount account, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var groupIds = ParseGroupIds(request.Query["group_ids"].ToString());
        var body = await ReadBodyAsync(request, cancellationToken);
        List<ImportRow> rows;
        if (request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true)
        {
            rows = CsvImportRows.Parse(body);
        }
        else if (request.HasJsonContentType())
        {
            (rows, var bodyGroups) = ParseJson(body, json.Value.SerializerOptions);
            groupIds.AddRange(bodyGroups);
        }
        else
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, ApiErrorCodes.UnsupportedMediaType,
                "Send the contacts as application/json (an array, or {\"contacts\": [...], \"group_ids\": [...]}) or as text/csv.");
        }

        var result = await importer.ImportAsync(account.RequiredAccountId, rows, groupIds, cancellationToken);
        return ApiResults.Ok(result, $"Imported {result.Created + result.Updated} contact(s); {result.Failed} row(s) failed.");
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, ApiErrorCodes.PayloadTooLarge,
                $"An import body may be at most {MaxBodyBytes / 1024 / 1024} MiB; split the file.");
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static (List<ImportRow> Rows, List<Guid> GroupIds) ParseJson(string body, JsonSerializerOptions options)
    {
        try
        {
            var trimmed = body.TrimStart();
            if (trimmed.StartsWith('['))
            {
                return (JsonSerializer.Deserialize<List<ImportRow>>(body, options) ?? [], []);
            }

            var request = JsonSerializer.Deserialize<ImportRequest>(body, options);
            return (request?.Contacts ?? [], request?.GroupIds ?? []);
        }
        catch (JsonInputException ex)
        {
            throw RequestValidationException.For(ex.Field, $"{ex.Field} {ex.Reason}.");
        }
        catch (JsonException ex)
        {
            throw new BadRequestException(BadRequestDescriber.DescribeJson(ex, body.TrimStart().StartsWith('[') ? typeof(List<ImportRow>) : typeof(ImportRequest), options));
        }
    }

    private static List<Guid> ParseGroupIds(string raw)
    {
        var ids = new List<Guid>();
        foreach (var part in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            ids.Add(Guid.TryParse(part, out var id) ? id : throw new BadRequestException($"group_ids holds '{part}', which is not a UUID."));
        }

        return ids;
    }
}
