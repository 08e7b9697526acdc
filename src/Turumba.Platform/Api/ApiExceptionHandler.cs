using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Turumba.Platform.Api.Input;
using Turumba.Platform.Hosting;

namespace Turumba.Platform.Api;

/// <summary>Turns every exception escaping an endpoint into the error envelope; 500s reveal nothing internal.</summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger, IOptions<JsonOptions> json) : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait while PostgreSQL or Redis is unreachable.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case ApiException api:
                await ApiErrorWriter.WriteAsync(context, api.StatusCode, api.Code, api.Message, api.Details);
                return true;
            case BadHttpRequestException { InnerException: JsonInputException input }:
                await WriteAsync(context, new RequestValidationException([new FieldError(input.Field, $"{input.Field} {input.Reason}.")]));
                return true;
            case BadHttpRequestException bad:
                await ApiErrorWriter.WriteAsync(context, bad.StatusCode, ApiErrorCodes.ForStatus(bad.StatusCode), DescribeBadRequest(context, bad));
                return true;
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                return true;
            case DbUpdateConcurrencyException concurrency:
                await WriteAsync(context, await LostRaceAsync(concurrency, cancellationToken));
                return true;
            case DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } }:
                await WriteAsync(context, new ConflictException("Something this request refers to was deleted by another request at the same time; read it again."));
                return true;
            case CaseCollisionException collision:
                await WriteAsync(context, new ConflictException(
                    $"Stored values this request uses have keys that differ only in case ({string.Join(", ", collision.Colliding)}); " +
                    "replace them (PATCH the template's default_values) and try again."));
                return true;
            case var _ when TransientFailure.Is(exception):
                LogUnavailable(logger, exception, context.Request.Method, context.Request.Path);
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ApiErrorWriter.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.Unavailable,
                    $"A service Turumba depends on is unreachable right now; try again in {RetryAfterSeconds} seconds.");
                return true;
            default:
                var traceId = ApiErrorWriter.TraceId(context);
                LogUnhandled(logger, exception, context.Request.Method, context.Request.Path, traceId);
                await ApiErrorWriter.WriteAsync(context, StatusCodes.Status500InternalServerError, ApiErrorCodes.InternalError,
                    $"An unexpected error occurred. Quote trace id {traceId} when reporting it.", new { trace_id = traceId });
                return true;
        }
    }

    private static Task WriteAsync(HttpContext context, ApiException api) =>
        ApiErrorWriter.WriteAsync(context, api.StatusCode, api.Code, api.Message, api.Details);

    /// <summary>
    /// A tracked update or delete found its row changed or gone: another request won. Gone is a 404
    /// (the caller's view of it is simply out of date), still there but changed a 409.
    /// </summary>
    private static async Task<ApiException> LostRaceAsync(DbUpdateConcurrencyException exception, CancellationToken cancellationToken)
    {
        foreach (var entry in exception.Entries)
        {
            if (await entry.GetDatabaseValuesAsync(cancellationToken) is null)
            {
                return new NotFoundException($"The {ResourceName(entry.Metadata.ClrType)} was deleted by another request.");
            }
        }

        return new ConflictException("Another request changed this resource at the same time; read it again and retry.");
    }

    private static string ResourceName(Type type) => JsonNamingPolicy.SnakeCaseLower.ConvertName(type.Name).Replace('_', ' ');

    private string DescribeBadRequest(HttpContext context, BadHttpRequestException exception) => exception.InnerException switch
    {
        JsonException jsonError => BadRequestDescriber.DescribeJson(jsonError,
            // The handler runs with the endpoint cleared; the feature keeps the one that failed.
            (context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint())?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType,
            json.Value.SerializerOptions),
        _ => BadRequestDescriber.DescribeBinding(exception.Message),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path} (trace {TraceId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: a dependency is unreachable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method, string path);
}
