namespace Turumba.Messaging;

/// <summary>A message's key: <see cref="CreatedAt"/> names its monthly partition.</summary>
public readonly record struct MessageKey(Guid Id, DateTimeOffset CreatedAt);
