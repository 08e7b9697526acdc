using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform.Api;
using Turumba.Platform.Api.OpenApi;
using Turumba.Platform.Persistence;

namespace Turumba.Platform.Tenancy;

internal sealed record AccountResponse(Guid Id, string Name, DateTimeOffset CreatedAt);

internal static class AccountEndpoints
{
    /// <summary><c>GET /v1/account</c>: the account the caller's key belongs to.</summary>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapApiGroup("account").MapGet("/", async (TurumbaDbContext db, ICurrentAccount current, CancellationToken ct) =>
        {
            var id = current.RequiredAccountId;
            var account = await db.Set<Account>().AsNoTracking()
                .Where(a => a.Id == id)
                .Select(a => new AccountResponse(a.Id, a.Name, a.CreatedAt))
                .FirstOrDefaultAsync(ct);
            // A gateway-authenticated account has no row of its own here.
            return ApiResults.Ok(account ?? new AccountResponse(id, string.Empty, default));
        })
        .WithName("GetAccount")
        .WithSummary("Get the caller's account")
        .WithDescription("The account the API key belongs to.")
        .ProducesData<AccountResponse>();
    }
}
