namespace Turumba.Platform.Tenancy;

public static class TurumbaClaims
{
    public const string AccountId = "account_id";
    public const string ApiKeyId = "api_key_id";
}
