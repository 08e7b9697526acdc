using System.Security.Cryptography;
using System.Text.Json;
using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Turumba.Messaging.Messages.Create;
using Turumba.Platform.Api;
using Turumba.Platform.Api.Input;
using Turumba.Platform.Persistence;
using Turumba.Platform.Tenancy;

namespace Turumba.Messaging.Messages.Batch;

/// <summary>
/// <c>POST /v1/messages/batch</c>: up to a thousand single sends in one request and one transaction.
/// Each item is read, validated and composed exactly as <c>POST /v1/messages</c> would (an item that
/// would be refused there is refused here, alone, with the same error); the request is refused as a
/// whole only when it is not a list of messages at all.
/// </summary>
internal static class BatchSendEndpoint
{
    public const int MaxMessages = 1000;

    /// <summary>8 MiB: a thousand items of 8 KiB each on average.</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    private const string MessagesField = "messages";

    public static async Task<IResult> HandleAsync(
        HttpRequest request,
        TurumbaDbContext db,
        ICurrentAccount account,
        BatchSends batches,
        IValidator<BatchMessageRequest> validator,
        ISendEndpointProvider sendEndpoints,
        IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, ApiErrorCodes.UnsupportedMediaType,
                "Send the batch as application/json: {\"messages\": [...]}.");
        }

        var options = json.Value.SerializerOptions;
        using var document = await ParseAsync(request, options, cancellationToken);
        var elements = Messages(document.RootElement, options);
        var accountId = account.RequiredAccountId;
        var items = new List<BatchItem>(elements.Count);
        for (var i = 0; i < elements.Count; i++)
        {
            items.Add(await ReadItemAsync(i, elements[i], accountId, validator, options, cancellationToken));
        }

        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await using (own)
        {
            var results = await batches.SendAsync(db, sendEndpoints, accountId, items, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }

            var created = results.Count(r => r.Result == BatchItemResult.CreatedResult);
            return ApiResults.Ok(new BatchSendResponse(created, results.Count - created, results),
                $"{created} message(s) created, {results.Count - created} rejected.");
        }
    }

    private static async Task<JsonDocument> ParseAsync(HttpRequest request, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        if (request.Body.CanSeek)
        {
            // The Idempotency-Key filter has read the body to fingerprint it.
            request.Body.Position = 0;
        }

        try
        {
            return await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth }, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new BadRequestException(BadRequestDescriber.DescribeJson(ex, typeof(BatchSendRequest), options));
        }
    }

    /// <summary>The items, or the request-level refusal: not <c>{"messages": [...]}</c>, an empty list, or more than <see cref="MaxMessages"/>.</summary>
    private static List<JsonElement> Messages(JsonElement root, JsonSerializerOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequestException("The request body must be an object: {\"messages\": [...]}.");
        }

        JsonElement? messages = null;
        var comparison = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (var property in root.EnumerateObject())
        {
            if (!string.Equals(property.Name, MessagesField, comparison))
            {
                throw new BadRequestException($"'{property.Name}' is not a field of this request.");
            }

            messages = property.Value;
        }

        if (messages is not { } list || list.ValueKind == JsonValueKind.Null)
        {
            throw RequestValidationException.For(MessagesField, "Give the messages to send: {\"messages\": [...]}.");
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new BadRequestException("'messages' must be an array.");
        }

        var count = list.GetArrayLength();
        return count switch
        {
            0 => throw RequestValidationException.For(MessagesField, "messages is empty; give at least one message."),
            > MaxMessages => throw RequestValidationException.For(MessagesField,
                $"messages holds {count} messages; a batch takes at most {MaxMessages}. Split it into several requests."),
            _ => list.EnumerateArray().ToList(),
        };
    }

    /// <summary>One item as the single send would read it: the same JSON guards, the same validator, refused with the same error.</summary>
    private static async Task<BatchItem> ReadItemAsync(
        int index, JsonElement element, Guid accountId, IValidator<BatchMessageRequest> validator, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new BatchItem(index, null, null, null, new BadRequestException("Each message must be a JSON object."));
        }

        BatchMessageRequest? item;
        try
        {
            item = element.Deserialize<BatchMessageRequest>(options);
        }
        catch (JsonInputException ex)
        {
            return new BatchItem(index, null, null, null, RequestValidationException.For(ex.Field, $"{ex.Field} {ex.Reason}."));
        }
        catch (JsonException ex)
        {
            return new BatchItem(index, null, null, null, new BadRequestException(BadRequestDescriber.DescribeJson(ex, typeof(BatchMessageRequest), options)));
        }

        var validation = await validator.ValidateAsync(item!, cancellationToken);
        if (!validation.IsValid)
        {
            return new BatchItem(index, null, null, null, new RequestValidationException(
                validation.Errors.Select(e => new FieldError(FieldNames.FromProperty(e.PropertyName), e.ErrorMessage)).ToList()));
        }

        var fingerprint = item!.IdempotencyKey is null ? null : SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(element.GetRawText()));
        return new BatchItem(index, item.ToSingleSend(accountId), item.IdempotencyKey, fingerprint, null);
    }
}
