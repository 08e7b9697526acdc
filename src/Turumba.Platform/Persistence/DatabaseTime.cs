namespace Turumba.Platform.Persistence;

public static class DatabaseTime
{
    /// <summary>Now, trimmed to the microsecond PostgreSQL keeps, so what is returned after a write equals what is read later.</summary>
    public static DateTimeOffset GetUtcNowForDatabase(this TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }
}
