using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Turumba.Platform.Api.OpenApi;

namespace Turumba.Platform.Api;

public static class ApiRouteExtensions
{
    /// <summary>An authenticated, account-scoped <c>/v1/{resource}</c> group.</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder endpoints, string resource) =>
        endpoints.MapGroup("/v1/" + resource)
            .RequireAuthorization()
            .WithTags(resource)
            .WithErrorResponses();
}
