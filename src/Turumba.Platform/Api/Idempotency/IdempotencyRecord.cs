namespace Turumba.Platform.Api.Idempotency;

/// <summary>The first response to a request that carried an <c>Idempotency-Key</c>, replayed for repeats within 24 hours.</summary>
internal sealed class IdempotencyRecord
{
    public Guid AccountId { get; set; }

    public required string Key { get; set; }

    /// <summary>SHA-256 of method, path and body: the same key with another request is refused.</summary>
    public required byte[] Fingerprint { get; set; }

    public int StatusCode { get; set; }

    public string? Location { get; set; }

    public string? Body { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
