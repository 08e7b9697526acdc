namespace Turumba.Platform.Operations.DeadLetters;

/// <summary>An error queue: the queue its messages failed on, how many wait, and the first few.</summary>
internal sealed record DeadLetterQueue(string Queue, string SourceQueue, long Messages, IReadOnlyList<DeadLetter> Samples);

/// <summary>A message in an error queue, as MassTransit put it there (its fault headers).</summary>
internal sealed record DeadLetter(
    string? MessageId, string? MessageType, string? ExceptionType, string? Error, DateTimeOffset? FailedAt, string? Reason, bool Redelivered);

/// <summary>What a replay moved back, and what is still in the error queue.</summary>
internal sealed record DeadLetterReplay(string Queue, string SourceQueue, int Replayed, long Remaining, IReadOnlyList<string> NotFound);

internal sealed record ReplayDeadLettersRequest(IReadOnlyList<string>? MessageIds);
