using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Platform.Api;

namespace Turumba.Channels;

/// <summary>
/// Maps (channel type, provider) to an adapter — the type's default adapter when a channel names no
/// provider, none when it names one without an adapter — and lists what is registered. Built once at
/// start-up from the <see cref="ChannelAdapterAttribute"/>s found.
/// </summary>
public sealed class ChannelAdapterRegistry
{
    private readonly IServiceProvider _services;
    private readonly Dictionary<(string Type, string Provider), Type> _byProvider = [];
    private readonly Dictionary<string, Type> _defaults = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _providers = [];
    private readonly List<AdapterDescriptor> _descriptors = [];

    public ChannelAdapterRegistry(IServiceProvider services, AdapterTypes adapterTypes)
    {
        _services = services;
        foreach (var type in adapterTypes.Types)
        {
            var attribute = type.GetCustomAttribute<ChannelAdapterAttribute>()!;
            if (!_byProvider.TryAdd((attribute.ChannelType, attribute.Provider), type))
            {
                throw new InvalidOperationException($"Two adapters claim {attribute.ChannelType}/{attribute.Provider}.");
            }

            if (attribute.IsDefault && !_defaults.TryAdd(attribute.ChannelType, type))
            {
                throw new InvalidOperationException($"Two adapters are the default for {attribute.ChannelType}.");
            }

            _providers[type] = attribute.Provider;
            _descriptors.Add(new AdapterDescriptor(attribute.ChannelType, attribute.Provider, attribute.IsDefault, type.Name));
        }
    }

    /// <summary>Why nothing sends <paramref name="channelType"/> through <paramref name="provider"/>, naming the adapters there are; null when an adapter does.</summary>
    public string? MissingAdapter(string channelType, string? provider)
    {
        if (TryResolve(channelType, provider) is not null)
        {
            return null;
        }

        var available = string.Join(", ", List().Select(a => a.IsDefault ? $"{a.ChannelType} ({a.Provider}, the default)" : $"{a.ChannelType} with provider {a.Provider}"));
        return provider is null
            ? $"No adapter sends {channelType} messages yet. Available: {available}."
            : $"No adapter sends {channelType} messages through provider '{provider}'. Available: {available}.";
    }

    /// <summary>
    /// A send to a channel no adapter can send through (saved before its provider's adapter was
    /// removed, say) is refused when it is made, with the channel create's reason, instead of
    /// failing later with <c>adapter_not_found</c>.
    /// </summary>
    public void ThrowIfCannotSend(ChannelSnapshot channel)
    {
        if (MissingAdapter(channel.ChannelType, channel.Provider) is { } reason)
        {
            throw RequestValidationException.For("channel_id", $"Channel {channel.Id} cannot send: {reason}");
        }
    }

    public IReadOnlyList<AdapterDescriptor> List() =>
        _descriptors.OrderBy(d => d.ChannelType, StringComparer.Ordinal).ThenBy(d => d.Provider, StringComparer.Ordinal).ToList();

    /// <summary>
    /// The adapter for the provider; without a provider, the type's default. A provider with no
    /// adapter is <see cref="AdapterNotFoundException"/>, not the default: another provider's
    /// credentials must never be sent to the default provider's API.
    /// </summary>
    public IChannelAdapter Resolve(string channelType, string? provider = null) =>
        TryResolve(channelType, provider) ?? throw new AdapterNotFoundException(channelType, provider);

    public IChannelAdapter? TryResolve(string channelType, string? provider = null)
    {
        var type = AdapterType(channelType, provider);
        return type is null ? null : (IChannelAdapter)_services.GetRequiredService(type);
    }

    /// <summary>
    /// The provider account behind a channel's credentials, named by the provider its adapter is
    /// registered for (the default adapter's when the channel names none); null when the adapter cannot tell.
    /// </summary>
    public ProviderAccount? FindProviderAccount(string channelType, string? provider, ChannelCredentials credentials)
    {
        var type = AdapterType(channelType, provider);
        return type is not null && ((IChannelAdapter)_services.GetRequiredService(type)).ProviderAccountOf(credentials) is { } account
            ? new ProviderAccount(_providers[type], account)
            : null;
    }

    private Type? AdapterType(string channelType, string? provider) => provider is null
        ? _defaults.GetValueOrDefault(channelType)
        : _byProvider.GetValueOrDefault((channelType, provider));
}

/// <summary>The adapter classes found at start-up.</summary>
public sealed class AdapterTypes(IReadOnlyList<Type> types)
{
    public IReadOnlyList<Type> Types { get; } = types;

    /// <summary>Every non-abstract <see cref="IChannelAdapter"/> with a <see cref="ChannelAdapterAttribute"/> in the assemblies.</summary>
    public static AdapterTypes Discover(params Assembly[] assemblies) => new(assemblies
        .SelectMany(a => a.GetTypes())
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IChannelAdapter).IsAssignableFrom(t) && t.GetCustomAttribute<ChannelAdapterAttribute>() is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToList());
}

public static class ChannelAdapterServiceCollectionExtensions
{
    /// <summary>Registers every adapter found in <paramref name="assemblies"/> as a singleton, and the registry.</summary>
    public static IServiceCollection AddChannelAdapters(this IServiceCollection services, params Assembly[] assemblies)
    {
        var types = AdapterTypes.Discover(assemblies);
        foreach (var type in types.Types)
        {
            services.AddSingleton(type);
        }

        services.AddSingleton(types);
        services.AddSingleton<ChannelAdapterRegistry>();
        return services;
    }
}
