namespace Turumba.Platform.Hosting;

/// <summary>The role names an instance can be started with (<c>--roles</c>).</summary>
public static class HostRole
{
    public const string Api = "api";
    public const string Webhooks = "webhooks";
    public const string Dispatch = "dispatch";
    public const string Groups = "groups";
    public const string Scheduling = "scheduling";
    public const string Status = "status";
    public const string Inbound = "inbound";
    public const string Outbox = "outbox";
    public const string Maintenance = "maintenance";
    public const string All = "all";

    public static IReadOnlyList<string> Names { get; } =
        [Api, Webhooks, Dispatch, Groups, Scheduling, Status, Inbound, Outbox, Maintenance, All];

    /// <summary>Channel types that have a dispatch queue of their own (<c>dispatch:&lt;type&gt;</c>).</summary>
    public static IReadOnlyList<string> ChannelTypes => Platform.ChannelTypes.All;
}
