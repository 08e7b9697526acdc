using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Turumba.Platform.Api.Idempotency;

namespace Turumba.Platform.Api.OpenApi;

/// <summary>Which error envelopes an endpoint can answer, and what each means.</summary>
internal static class ErrorResponses
{
    private static readonly string[] Json = ["application/json"];

    public static void Add(EndpointBuilder endpoint)
    {
        var metadata = endpoint.Metadata;
        var statuses = new SortedSet<int> { StatusCodes.Status400BadRequest, StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable };
        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            statuses.Add(StatusCodes.Status401Unauthorized);
        }

        if (endpoint is RouteEndpointBuilder route && route.RoutePattern.Parameters.Count > 0)
        {
            statuses.Add(StatusCodes.Status404NotFound);
        }

        if (metadata.OfType<IdempotentEndpoint>().Any())
        {
            statuses.Add(StatusCodes.Status409Conflict);
        }

        var methods = metadata.OfType<IHttpMethodMetadata>().SelectMany(m => m.HttpMethods).ToList();
        if (methods.Any(m => m is "POST" or "PUT" or "PATCH"))
        {
            statuses.Add(StatusCodes.Status413PayloadTooLarge);
            statuses.Add(StatusCodes.Status422UnprocessableEntity);
        }

        var declared = metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.StatusCode).ToHashSet();
        foreach (var status in statuses.Where(s => !declared.Contains(s)))
        {
            metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ApiErrorResponse), Json));
        }
    }

    /// <summary>The response description the document shows for an error status.</summary>
    public static string Describe(int status) => status switch
    {
        400 => "bad_request: the request is malformed (unreadable JSON, a wrong type, an unknown field, a bad query parameter or filter).",
        401 => "unauthorized: no API key, or one that is unknown or revoked.",
        403 => "forbidden: the key may not do this.",
        404 => "not_found: no such resource in the caller's account.",
        409 => "conflict: the Idempotency-Key was used with a different body, or its first request is still running.",
        413 => "payload_too_large: the body is larger than the API accepts.",
        422 => "validation_error: the body is well-formed but breaks a rule; details.errors lists each failed field (field, message).",
        429 => "rate_limited: too many requests.",
        500 => "internal_error: an unexpected failure; message carries the trace id to quote.",
        503 => "service_unavailable: a dependency (database, broker, cache) is down; retry later.",
        _ => ApiErrorCodes.ForStatus(status),
    };

    /// <summary>An example envelope for an error status.</summary>
    public static ApiErrorResponse Example(int status) => status switch
    {
        404 => new ApiErrorResponse(ApiErrorCodes.NotFound, "No channel with id 0b4f8a4e-3d6c-4f0e-9f7e-2d8f1c6a9b10."),
        401 => new ApiErrorResponse(ApiErrorCodes.Unauthorized, "Missing API key: send it in the X-Api-Key header or as 'Authorization: Bearer <key>'."),
        422 => new ApiErrorResponse(ApiErrorCodes.ValidationError, "'message_body' must not be empty.",
            new { errors = new[] { new FieldError("message_body", "'message_body' must not be empty.") } }),
        _ => new ApiErrorResponse(ApiErrorCodes.ForStatus(status), Describe(status)),
    };
}
