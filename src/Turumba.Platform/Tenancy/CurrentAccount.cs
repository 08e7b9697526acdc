using Microsoft.AspNetCore.Http;

namespace Turumba.Platform.Tenancy;

/// <summary>Reads the account from the authenticated request, unless a consumer set one explicitly.</summary>
internal sealed class CurrentAccount(IHttpContextAccessor httpContextAccessor) : ICurrentAccount
{
    private Guid? _explicit;

    public Guid? AccountId =>
        _explicit ?? (Guid.TryParse(httpContextAccessor.HttpContext?.User.FindFirst(TurumbaClaims.AccountId)?.Value, out var id) ? id : null);

    public void Use(Guid accountId) => _explicit = accountId;
}
