using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FluentValidation;
using Turumba.Messaging.Messages.Create;

namespace Turumba.Messaging.Messages.Batch;

/// <summary><c>POST /v1/messages/batch</c>: up to <see cref="BatchSendEndpoint.MaxMessages"/> sends, each like a single send's body.</summary>
internal sealed record BatchSendRequest(IReadOnlyList<BatchMessageRequest>? Messages);

/// <summary>
/// One item of a batch: the fields of <c>POST /v1/messages</c>, and an optional <c>idempotency_key</c>
/// (an item repeating a key used in the last 24 hours is answered with the message that key made).
/// </summary>
internal sealed record BatchMessageRequest(
    Guid? ChannelId,
    Guid? ContactId,
    string? DeliveryAddress,
    string? MessageBody,
    Guid? TemplateId,
    Dictionary<string, string>? CustomValues,
    DateTimeOffset? ScheduledAt,
    string? MediaUrl,
    string? MediaType,
    JsonObject? Metadata,
    bool? IgnoreQuietHours,
    string? IdempotencyKey) : ISendRequest;

/// <summary>A single send's rules, and the key's.</summary>
internal sealed class BatchMessageValidator : SendRequestValidator<BatchMessageRequest>
{
    public BatchMessageValidator()
    {
        RuleFor(r => r.IdempotencyKey).MaximumLength(BatchItemKey.MaxKeyLength)
            .Must(k => k is null || !string.IsNullOrWhiteSpace(k)).WithMessage("idempotency_key must not be blank; leave it out instead.");
    }
}

/// <summary>Describes the body for the API document (the endpoint checks the list itself, so that one bad item refuses only that item).</summary>
internal sealed class BatchSendRequestValidator : AbstractValidator<BatchSendRequest>
{
    public BatchSendRequestValidator() => RuleFor(r => r.Messages).NotEmpty();
}

/// <summary>What became of each item, in the order sent.</summary>
internal sealed record BatchSendResponse(int Created, int Rejected, IReadOnlyList<BatchItemResult> Results);

/// <summary>
/// One item's answer: <c>created</c> with the message's <c>id</c> and <c>status</c> (<c>replayed</c> when its
/// idempotency key had made it before), or <c>rejected</c> with <c>error</c>, <c>message</c> and
/// <c>details</c> as the error envelope of a single send would carry them.
/// </summary>
internal sealed record BatchItemResult(
    int Index,
    string Result,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? Id = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MessageStatus? Status = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Replayed = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Details = null)
{
    public const string CreatedResult = "created";
    public const string RejectedResult = "rejected";

    public static BatchItemResult Created(int index, Guid id, MessageStatus status, bool replayed) => new(index, CreatedResult, id, status, replayed);

    public static BatchItemResult Rejected(int index, Platform.Api.ApiException error) => new(index, RejectedResult, Error: error.Code, Message: error.Message, Details: error.Details);
}
