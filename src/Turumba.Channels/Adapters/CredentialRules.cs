namespace Turumba.Channels;

/// <summary>
/// What a provider needs in a channel's credentials: the fields that must be present, the ones
/// that are secret (masked in every response), and any rule across fields (Twilio: a from number
/// or a messaging service). Declared by the adapter, so a new provider states its own.
/// </summary>
public sealed record CredentialRules(IReadOnlyList<string> Required, IReadOnlyList<string> Secret)
{
    /// <summary>Problems the field lists cannot express; each names its field without the <c>credentials.</c> prefix.</summary>
    public Func<IReadOnlyDictionary<string, string>, IEnumerable<CredentialProblem>>? Check { get; init; }

    /// <summary>
    /// Fields Turumba generates when the channel is created without them (Meta's <c>verify_token</c>): random,
    /// stored like the other credentials, shown unmasked once in the create response, never logged.
    /// </summary>
    public IReadOnlyList<string> Generated { get; init; } = [];

    /// <summary>Whether <paramref name="credentials"/> has <paramref name="field"/> with a non-blank value.</summary>
    public static bool Has(IReadOnlyDictionary<string, string> credentials, string field) =>
        credentials.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value);
}

/// <summary>One thing wrong with a channel's credentials.</summary>
public sealed record CredentialProblem(string Field, string Message);
