using Microsoft.AspNetCore.Http;

namespace Turumba.Platform.Api;

/// <summary>An error the caller caused or must know about; rendered as the error envelope.</summary>
public class ApiException(int statusCode, string code, string message, object? details = null) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string Code { get; } = code;

    public object? Details { get; } = details;
}

public sealed class BadRequestException(string message, object? details = null)
    : ApiException(StatusCodes.Status400BadRequest, ApiErrorCodes.BadRequest, message, details);

public sealed class NotFoundException(string message)
    : ApiException(StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, message)
{
    public static NotFoundException For(string resource, Guid id) => new($"No {resource} with id {id}.");
}

public sealed class ConflictException(string message, object? details = null)
    : ApiException(StatusCodes.Status409Conflict, ApiErrorCodes.Conflict, message, details);

public sealed class RequestValidationException(IReadOnlyList<FieldError> errors)
    : ApiException(StatusCodes.Status422UnprocessableEntity, ApiErrorCodes.ValidationError,
        errors.Count == 1 ? errors[0].Message : $"{errors.Count} fields are invalid.", new { errors })
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    public static RequestValidationException For(string field, string message) => new([new FieldError(field, message)]);
}
