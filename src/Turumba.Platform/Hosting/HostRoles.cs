namespace Turumba.Platform.Hosting;

/// <summary>
/// The parsed <c>--roles</c> of this instance. Modules consult it to decide which endpoints,
/// receive endpoints and hosted services to add.
/// </summary>
public sealed class HostRoles
{
    private readonly HashSet<string> _roles;
    private readonly HashSet<string> _dispatchTypes;

    private HostRoles(HashSet<string> roles, HashSet<string> dispatchTypes)
    {
        _roles = roles;
        _dispatchTypes = dispatchTypes;
    }

    public static HostRoles AllRoles { get; } = Parse(HostRole.All);

    public bool IsAll => _roles.Contains(HostRole.All);

    /// <summary>Parses a comma- or space-separated role list; an unknown role is a startup error.</summary>
    public static HostRoles Parse(string? value)
    {
        var tokens = (value ?? string.Empty)
            .Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.ToLowerInvariant())
            .ToList();
        if (tokens.Count == 0)
        {
            throw new StartupConfigurationException(
                $"No roles given. Pass --roles (or set Turumba:Roles) to one or more of: {string.Join(", ", HostRole.Names)}, dispatch:<channel type>.");
        }

        var roles = new HashSet<string>(StringComparer.Ordinal);
        var dispatchTypes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            if (token.StartsWith(HostRole.Dispatch + ":", StringComparison.Ordinal))
            {
                var type = token[(HostRole.Dispatch.Length + 1)..];
                if (!HostRole.ChannelTypes.Contains(type))
                {
                    throw new StartupConfigurationException(
                        $"Unknown channel type '{type}' in role '{token}'. Channel types: {string.Join(", ", HostRole.ChannelTypes)}.");
                }

                dispatchTypes.Add(type);
            }
            else if (HostRole.Names.Contains(token))
            {
                roles.Add(token);
            }
            else
            {
                throw new StartupConfigurationException(
                    $"Unknown role '{token}'. Roles: {string.Join(", ", HostRole.Names)}, dispatch:<channel type>.");
            }
        }

        return new HostRoles(roles, dispatchTypes);
    }

    public bool Has(string role) => IsAll || _roles.Contains(role);

    /// <summary>Whether this instance consumes the dispatch queue of <paramref name="channelType"/>.</summary>
    public bool Dispatches(string channelType) =>
        IsAll || _roles.Contains(HostRole.Dispatch) || _dispatchTypes.Contains(channelType);

    public IEnumerable<string> DispatchedChannelTypes => HostRole.ChannelTypes.Where(Dispatches);

    public override string ToString() =>
        string.Join(",", _roles.Order().Concat(_dispatchTypes.Order().Select(t => $"{HostRole.Dispatch}:{t}")));
}
