using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Turumba.Platform.Api;

/// <summary>Turns every exception escaping an endpoint into the error envelope; 500s reveal nothing internal.</summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case ApiException api:
                await ApiErrorWriter.WriteAsync(context, api.StatusCode, api.Code, api.Message, api.Details);
                return true;
            case BadHttpRequestException bad:
                await ApiErrorWriter.WriteAsync(context, bad.StatusCode, ApiErrorCodes.ForStatus(bad.StatusCode), DescribeBadRequest(bad));
                return true;
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                return true;
            default:
                var traceId = ApiErrorWriter.TraceId(context);
                LogUnhandled(logger, exception, context.Request.Method, context.Request.Path, traceId);
                await ApiErrorWriter.WriteAsync(context, StatusCodes.Status500InternalServerError, ApiErrorCodes.InternalError,
                    $"An unexpected error occurred. Quote trace id {traceId} when reporting it.", new { trace_id = traceId });
                return true;
        }
    }

    private static string DescribeBadRequest(BadHttpRequestException exception) => exception.InnerException switch
    {
        JsonException json => $"The request body is not valid JSON for this endpoint: {json.Message}",
        _ => exception.Message,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path} (trace {TraceId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string traceId);
}
