using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Turumba.Platform.Persistence;

namespace Turumba.Channels.Channels.Verification;

/// <summary>
/// Checks a channel's credentials with its provider and, where the provider pushes updates,
/// registers our webhook with a fresh secret. The outcome lands on the channel: connected with
/// <c>last_verified_at</c>, or error with the provider's reason.
/// </summary>
internal sealed partial class ChannelVerifier(
    ChannelAdapterRegistry registry, IOptions<WebhookOptions> webhooks, TimeProvider clock, ILogger<ChannelVerifier> logger)
{
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    /// <summary>Verifies and registers; returns the credentials to store (with the webhook secret when one was set).</summary>
    public async Task<Dictionary<string, string>> VerifyAsync(Channel channel, Dictionary<string, string> credentials, CancellationToken cancellationToken)
    {
        var adapter = registry.TryResolve(channel.ChannelType, channel.Provider);
        if (adapter is null)
        {
            channel.Status = channel.IsEnabled ? ChannelStatus.Disconnected : ChannelStatus.Disabled;
            channel.ErrorMessage = $"No adapter is registered for {channel.ChannelType}" +
                (channel.Provider is null ? "." : $" with provider {channel.Provider}.") + " The channel cannot send yet.";
            return credentials;
        }

        var stored = new Dictionary<string, string>(credentials);
        try
        {
            await adapter.VerifyCredentialsAsync(new ChannelCredentials(stored), cancellationToken);
            if (webhooks.Value.BaseUrl is { Length: > 0 } baseUrl)
            {
                stored[ChannelCredentials.WebhookSecret] = RandomNumberGenerator.GetString(SecretAlphabet, 48);
                var url = new Uri($"{baseUrl.TrimEnd('/')}/webhooks/{channel.ChannelType}/{channel.Id}");
                var registration = await adapter.RegisterWebhookAsync(new ChannelCredentials(stored), url, cancellationToken);
                channel.WebhookUrl = registration?.Url.ToString();
                if (registration?.Secret is null)
                {
                    stored.Remove(ChannelCredentials.WebhookSecret);
                }
            }

            channel.Status = channel.IsEnabled ? ChannelStatus.Connected : ChannelStatus.Disabled;
            channel.LastVerifiedAt = clock.GetUtcNowForDatabase();
            channel.ErrorMessage = null;
        }
        catch (ChannelAdapterException ex)
        {
            LogVerificationFailed(logger, channel.Id, ex.GetType().Name, ex.Message);
            channel.Status = channel.IsEnabled ? ChannelStatus.Error : ChannelStatus.Disabled;
            channel.ErrorMessage = ex is ProviderAuthException
                ? $"The provider refused the credentials: {ex.Message}"
                : $"The credentials could not be verified: {ex.Message}";
        }

        return stored;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification of channel {ChannelId} failed ({Error}): {Reason}")]
    private static partial void LogVerificationFailed(ILogger logger, Guid channelId, string error, string reason);
}
