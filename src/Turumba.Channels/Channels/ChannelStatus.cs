namespace Turumba.Channels;

public enum ChannelStatus
{
    Connected,
    Disconnected,
    RateLimited,
    Error,
    Disabled,
}
