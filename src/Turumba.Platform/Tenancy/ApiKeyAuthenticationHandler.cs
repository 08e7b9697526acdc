using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Platform.Tenancy;

/// <summary>
/// Authenticates <c>/v1</c> calls by <c>X-Api-Key</c> or <c>Authorization: Bearer</c>, or, in
/// trusted-gateway mode, by the gateway's <c>x-account-ids</c> header.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<AuthOptions> authOptions,
    IMemoryCache cache,
    TurumbaDbContext db) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string GatewayAccountsHeader = "x-account-ids";
    public const string GatewaySelectedAccountHeader = "x-account-id";
    private const string FailureItem = "turumba.auth.failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (authOptions.Value.TrustedGateway && Request.Headers.TryGetValue(GatewayAccountsHeader, out var accounts))
        {
            return AuthenticateFromGateway(accounts.ToString());
        }

        var key = ReadKey();
        if (key is null)
        {
            return Fail("Missing API key: send it in the X-Api-Key header or as 'Authorization: Bearer <key>'.");
        }

        var identity = await FindKeyAsync(key);
        return identity is null
            ? Fail("Invalid or revoked API key.")
            : Success(identity.Value.AccountId, identity.Value.KeyId, identity.Value.Scope);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiErrorWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized, ApiErrorCodes.Unauthorized,
            Context.Items[FailureItem] as string ?? "Authentication required.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiErrorWriter.WriteAsync(Context, StatusCodes.Status403Forbidden, ApiErrorCodes.Forbidden,
            "This API key may not perform this operation.");

    private string? ReadKey()
    {
        var header = Request.Headers[ApiKeyHeader].ToString();
        if (!string.IsNullOrWhiteSpace(header))
        {
            return header.Trim();
        }

        var authorization = Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
            ? authorization[bearer.Length..].Trim()
            : null;
    }

    /// <summary>Where a key's lookup is cached on this instance; a revoke removes it.</summary>
    internal static string CacheKey(byte[] hash) => "apikey:" + Convert.ToHexString(hash);

    private async Task<(Guid AccountId, Guid KeyId, string Scope)?> FindKeyAsync(string key)
    {
        if (key.Length < ApiKeySecret.MinimumLength || key.Length > 256)
        {
            return null;
        }

        var hash = ApiKeySecret.Hash(key);
        var cacheKey = CacheKey(hash);
        if (cache.TryGetValue(cacheKey, out (Guid, Guid, string) cached))
        {
            return cached;
        }

        var found = await db.Set<ApiKey>()
            .Where(k => k.KeyHash == hash && k.RevokedAt == null)
            .Join(db.Set<Account>().Where(a => a.IsActive), k => k.AccountId, a => a.Id, (k, a) => new { k.AccountId, k.Id, k.Scope })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (found is null)
        {
            return null;
        }

        var result = (found.AccountId, found.Id, found.Scope);
        cache.Set(cacheKey, result, authOptions.Value.KeyCacheDuration);
        // Once per cache lifetime per instance, not per request.
        await db.Set<ApiKey>().Where(k => k.Id == found.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, DateTimeOffset.UtcNow), Context.RequestAborted);
        return result;
    }

    private AuthenticateResult AuthenticateFromGateway(string header)
    {
        var ids = new List<Guid>();
        foreach (var part in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Guid.TryParse(part, out var id))
            {
                return Fail($"Header {GatewayAccountsHeader} holds '{part}', which is not an account id.");
            }

            ids.Add(id);
        }

        if (ids.Count == 0)
        {
            return Fail($"Header {GatewayAccountsHeader} names no account.");
        }

        var selected = Request.Headers[GatewaySelectedAccountHeader].ToString();
        if (string.IsNullOrEmpty(selected))
        {
            return Success(ids[0], null, ApiKeyScopes.Tenant);
        }

        return Guid.TryParse(selected, out var chosen) && ids.Contains(chosen)
            ? Success(chosen, null, ApiKeyScopes.Tenant)
            : Fail($"Header {GatewaySelectedAccountHeader} must name one of the accounts in {GatewayAccountsHeader}.");
    }

    private static AuthenticateResult Success(Guid accountId, Guid? keyId, string scope)
    {
        var claims = new List<Claim> { new(TurumbaClaims.AccountId, accountId.ToString()), new(TurumbaClaims.Scope, scope) };
        if (keyId is not null)
        {
            claims.Add(new Claim(TurumbaClaims.ApiKeyId, keyId.Value.ToString()));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private AuthenticateResult Fail(string message)
    {
        Context.Items[FailureItem] = message;
        return AuthenticateResult.Fail(message);
    }
}
