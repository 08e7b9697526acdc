using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Caching.Memory;
using Turumba.Platform.Api;
using Turumba.Platform.Api.OpenApi;

namespace Turumba.Platform.Tenancy;

internal sealed record CreateApiKeyRequest(string? Name);

internal sealed class CreateApiKeyValidator : AbstractValidator<CreateApiKeyRequest>
{
    public CreateApiKeyValidator() => RuleFor(r => r.Name).NotEmpty().MaximumLength(100).OverridePropertyName("name");
}

/// <summary>The created key: the only response that ever carries <see cref="Key"/>.</summary>
internal sealed record CreatedApiKeyResponse(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, string Key);

/// <summary><c>/v1/api-keys</c>: the caller's account lists, creates and revokes its keys.</summary>
internal static class ApiKeyEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var keys = endpoints.MapApiGroup("api-keys");
        keys.MapGet("/", async (AccountAdministration admin, ICurrentAccount account, CancellationToken ct) =>
            ApiResults.Ok(await admin.ListKeysAsync(account.RequiredAccountId, ct))).WithName("ListApiKeys")
            .WithSummary("List API keys")
            .WithDescription("The account's keys: id, name, prefix, created and last used, revoked. The key itself is never shown again.")
            .ProducesData<IReadOnlyList<ApiKeyInfo>>();
        keys.MapPost("/", async (CreateApiKeyRequest request, AccountAdministration admin, ICurrentAccount account, CancellationToken ct) =>
        {
            var created = await admin.CreateKeyAsync(account.RequiredAccountId, request.Name!, ct);
            var info = created.Info;
            return ApiResults.Created($"/v1/api-keys/{info.Id}", new CreatedApiKeyResponse(info.Id, info.Name, info.Prefix, info.CreatedAt, created.Key));
        }).Validate<CreateApiKeyRequest>().WithName("CreateApiKey")
            .WithSummary("Create an API key")
            .WithDescription("A new key for the account; the answer is the only time the key is shown.")
            .ProducesData<CreatedApiKeyResponse>(StatusCodes.Status201Created);
        keys.MapDelete("/{id:guid}", async (Guid id, AccountAdministration admin, ICurrentAccount account, IMemoryCache cache, CancellationToken ct) =>
            ApiResults.Ok(await admin.RevokeKeyAsync(account.RequiredAccountId, id, hash => cache.Remove(ApiKeyAuthenticationHandler.CacheKey(hash)), ct)))
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an API key")
            .WithDescription("The key is refused from now on by this instance, and by every other instance once its key cache entry expires (see docs/operations.md).")
            .ProducesData<ApiKeyInfo>();
    }
}
