namespace Turumba.Contacts.Suppressions.Add;

/// <summary><c>channel_type</c> defaults to <c>all</c>, <c>reason</c> to <c>manual</c>, <c>source</c> to <c>api</c>.</summary>
internal sealed record AddSuppressionRequest(string? Address, string? ChannelType, string? Reason, string? Source);
