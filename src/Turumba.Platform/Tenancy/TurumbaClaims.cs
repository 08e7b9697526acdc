namespace Turumba.Platform.Tenancy;

public static class TurumbaClaims
{
    public const string AccountId = "account_id";
    public const string ApiKeyId = "api_key_id";
    public const string Scope = "scope";
}

/// <summary>What an API key may reach: its account's resources, or those and the platform's operations.</summary>
internal static class ApiKeyScopes
{
    public const string Tenant = "tenant";
    public const string Operator = "operator";

    /// <summary>The authorization policy of <c>/v1/admin</c>: an operator key.</summary>
    public const string OperatorPolicy = "operator";
}
