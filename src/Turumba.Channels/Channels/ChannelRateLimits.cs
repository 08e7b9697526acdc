namespace Turumba.Channels;

/// <summary>
/// The Redis keys a channel's sending is limited and paused under; dispatch and the API must agree
/// on them. <see cref="ChannelRateLimitPolicy"/> says which of them apply to a channel.
/// </summary>
public static class ChannelRateLimits
{
    public const string ChannelScope = "channel";

    public static string PauseKey(Guid channelId) => $"channel:{channelId}";

    public static string ChannelKey(Guid channelId) => $"channel:{channelId}";

    public static string ProviderAccountKey(ProviderAccount account) => $"provider:{account.Provider}:{account.Id}";

    public static string TenantKey(Guid accountId) => $"tenant:{accountId}";

    /// <summary>What a limit's key limits, as the API names it: <c>channel</c>, <c>provider_account</c> or <c>tenant</c>.</summary>
    public static string ScopeOf(string key) => key.Split(':', 2)[0] switch
    {
        "provider" => "provider_account",
        var scope => scope,
    };
}
