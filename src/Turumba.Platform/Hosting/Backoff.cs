namespace Turumba.Platform.Hosting;

/// <summary>Doubling waits between attempts, from <paramref name="first"/> up to <paramref name="cap"/>.</summary>
public sealed class Backoff(TimeSpan first, TimeSpan cap)
{
    private TimeSpan _current = TimeSpan.Zero;

    public TimeSpan Next()
    {
        _current = _current == TimeSpan.Zero ? first : TimeSpan.FromTicks(Math.Min(_current.Ticks * 2, cap.Ticks));
        return _current;
    }

    public void Reset() => _current = TimeSpan.Zero;
}
