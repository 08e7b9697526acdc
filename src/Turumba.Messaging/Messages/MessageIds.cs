namespace Turumba.Messaging.Messages;

/// <summary>Reads the creation time a UUIDv7 carries, so lookups by id can prune partitions.</summary>
internal static class MessageIds
{
    /// <summary>The millisecond timestamp of a version 7 id, or null for other versions.</summary>
    public static DateTimeOffset? CreatedAround(Guid id)
    {
        if (id.Version != 7)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        long milliseconds = 0;
        for (var i = 0; i < 6; i++)
        {
            milliseconds = (milliseconds << 8) | bytes[i];
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }

    /// <summary>
    /// A created_at window that surely holds the row of <paramref name="id"/>: the id is made a
    /// moment before the row is stamped, so allow a generous margin either side.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To)? CreatedWindow(Guid id) =>
        CreatedAround(id) is { } at ? (at.AddDays(-1), at.AddDays(1)) : null;
}
