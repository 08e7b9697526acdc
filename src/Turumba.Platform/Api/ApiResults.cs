using Microsoft.AspNetCore.Http;
using Turumba.Platform.Api.Querying;

namespace Turumba.Platform.Api;

/// <summary>Success envelopes for endpoints.</summary>
public static class ApiResults
{
    public static IResult Ok<T>(T data, string? message = null) => Results.Ok(new ApiResponse<T>(data, message));

    public static IResult Created<T>(string location, T data) => Results.Created(location, new ApiResponse<T>(data));

    public static IResult List<T>(IReadOnlyList<T> items, long total, ListQuery query) =>
        Results.Ok(new ApiListResponse<T>(items, new ListMeta(total, query.Skip, query.Limit)));

    public static IResult Deleted() => Results.NoContent();
}
