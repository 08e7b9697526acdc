using System.Text.Json.Serialization;

namespace Turumba.Platform.Api;

/// <summary><c>{"success": true, "data": {...}, "message": null}</c></summary>
public sealed record ApiResponse<T>(T Data, string? Message = null)
{
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}

/// <summary><c>{"success": true, "data": [...], "meta": {"total", "skip", "limit"}}</c></summary>
public sealed record ApiListResponse<T>(IReadOnlyList<T> Data, ListMeta Meta)
{
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}

public sealed record ListMeta(long Total, int Skip, int Limit);

/// <summary><c>{"success": false, "error": "&lt;code&gt;", "message": "...", "details": {...}}</c></summary>
public sealed record ApiErrorResponse(string Error, string Message, object? Details = null)
{
    [JsonPropertyOrder(-1)]
    public bool Success { get; init; }
}

/// <summary>One failed field of a <c>validation_error</c>.</summary>
public sealed record FieldError(string Field, string Message);

public static class ApiErrorCodes
{
    public const string BadRequest = "bad_request";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string Conflict = "conflict";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string ValidationError = "validation_error";
    public const string RateLimited = "rate_limited";
    public const string InternalError = "internal_error";
    public const string Unavailable = "service_unavailable";

    /// <summary>The code for a bare status (no handler chose one).</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => ValidationError,
        429 => RateLimited,
        503 => Unavailable,
        _ => status >= 500 ? InternalError : BadRequest,
    };
}
