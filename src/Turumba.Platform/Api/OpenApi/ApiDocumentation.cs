using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Turumba.Platform.Api.Querying;

namespace Turumba.Platform.Api.OpenApi;

/// <summary>
/// Endpoint metadata for the API description (<c>/openapi/v1.json</c>): success envelopes, list
/// parameters, request examples. Error responses, security and idempotency headers are added
/// generically (<see cref="ErrorResponses"/>, <see cref="OperationTransformer"/>).
/// </summary>
public static class ApiDocumentation
{
    /// <summary>Answers <c>{"success": true, "data": T}</c> with <paramref name="status"/>.</summary>
    public static RouteHandlerBuilder ProducesData<T>(this RouteHandlerBuilder builder, int status = StatusCodes.Status200OK) =>
        builder.Produces<ApiResponse<T>>(status);

    /// <summary>Answers the list envelope of <typeparamref name="T"/> and takes the list parameters <paramref name="fields"/> allows.</summary>
    public static RouteHandlerBuilder ProducesList<T>(this RouteHandlerBuilder builder, ListQueryFields fields) =>
        builder.Produces<ApiListResponse<T>>(StatusCodes.Status200OK).WithMetadata(new ListQueryMetadata(fields));

    /// <summary>Answers 204 with no body.</summary>
    public static RouteHandlerBuilder ProducesDeleted(this RouteHandlerBuilder builder) =>
        builder.Produces(StatusCodes.Status204NoContent);

    /// <summary>An example request body (JSON), shown by the interactive page and client generators.</summary>
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, string json) =>
        builder.WithMetadata(new RequestExampleMetadata(JsonNode.Parse(json) ?? throw new ArgumentException("The example is JSON null.", nameof(json))));

    /// <summary>A refusal particular to this endpoint (the common ones are added for every endpoint).</summary>
    public static RouteHandlerBuilder ProducesError(this RouteHandlerBuilder builder, int status, string description) =>
        builder.Produces<ApiErrorResponse>(status).WithMetadata(new ErrorDescriptionMetadata(status, description));

    /// <summary>
    /// The error envelope on the statuses every endpoint can answer: 400 and 500 always, 401 when it
    /// requires a key, 404 when its route has parameters, 409 when it is idempotent, 413/422 when it takes a body.
    /// Runs last, so it sees what the endpoint's own conventions added.
    /// </summary>
    public static TBuilder WithErrorResponses<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(ErrorResponses.Add);
        return builder;
    }
}

internal sealed record ListQueryMetadata(ListQueryFields Fields);

internal sealed record RequestExampleMetadata(JsonNode Example);

internal sealed record ErrorDescriptionMetadata(int Status, string Description);
