using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Turumba.Platform.Api;

public static class ApiErrorWriter
{
    public static Task WriteAsync(HttpContext context, int status, string code, string message, object? details = null)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.StatusCode = status;
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        return context.Response.WriteAsJsonAsync(new ApiErrorResponse(code, message, details), json, contentType: null, context.RequestAborted);
    }

    /// <summary>The id that ties an error response to its trace and logs.</summary>
    public static string TraceId(HttpContext context) => Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
}
