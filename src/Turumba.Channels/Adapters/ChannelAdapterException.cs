namespace Turumba.Channels;

/// <summary>A send or call to a provider that failed; the subtype says how dispatch should react.</summary>
public abstract class ChannelAdapterException(string message, string? providerCode = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The provider's own error code, when it gave one.</summary>
    public string? ProviderCode { get; } = providerCode;

    /// <summary>Whether trying the same message again later may succeed.</summary>
    public abstract bool Retryable { get; }

    /// <summary>
    /// Why the recipient must not be messaged again (a suppression reason such as <c>opt_out</c> or
    /// <c>blocked</c>): the recipient replied STOP, blocked the bot. Null for every other failure.
    /// </summary>
    public string? SuppressRecipient { get; init; }
}

/// <summary>The provider could not be reached or failed on its side (network, timeout, 5xx): retry.</summary>
public sealed class ProviderConnectionException(string message, string? providerCode = null, Exception? inner = null)
    : ChannelAdapterException(message, providerCode, inner)
{
    public override bool Retryable => true;
}

/// <summary>The credentials were refused: the channel needs fixing, not the message.</summary>
public sealed class ProviderAuthException(string message, string? providerCode = null)
    : ChannelAdapterException(message, providerCode)
{
    public override bool Retryable => false;
}

/// <summary>The provider asks to slow down for <see cref="RetryAfter"/>.</summary>
public sealed class ProviderRateLimitException(string message, TimeSpan retryAfter, string? providerCode = null)
    : ChannelAdapterException(message, providerCode)
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    public override bool Retryable => true;
}

/// <summary>The provider refused this message (bad recipient, payload): sending it again will not help.</summary>
public sealed class InvalidPayloadException(string message, string? providerCode = null)
    : ChannelAdapterException(message, providerCode)
{
    public override bool Retryable => false;
}

/// <summary>No adapter is registered for a channel type (and provider).</summary>
public sealed class AdapterNotFoundException(string channelType, string? provider)
    : Exception(provider is null
        ? $"No adapter is registered for channel type '{channelType}'."
        : $"No adapter is registered for channel type '{channelType}' with provider '{provider}'.")
{
    public string ChannelType { get; } = channelType;

    public string? Provider { get; } = provider;
}
