using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Turumba.Platform.Api.Input;

/// <summary>
/// Every request body is at most <see cref="InputLimits.MaxBodyBytes"/> unless its endpoint says
/// otherwise (<see cref="IRequestSizeLimitMetadata"/>, as the import does). A declared length over
/// the limit is answered 413 before a byte is read; a chunked body is cut off by the server.
/// </summary>
internal static class RequestBodyLimit
{
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? InputLimits.MaxBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                return ApiErrorWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ApiErrorCodes.PayloadTooLarge,
                    $"The request body is {context.Request.ContentLength} bytes; this endpoint takes at most {limit} bytes.");
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            return next(context);
        });
}
