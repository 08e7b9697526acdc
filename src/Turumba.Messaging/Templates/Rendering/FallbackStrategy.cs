namespace Turumba.Messaging;

/// <summary>What to do with a placeholder no value was found for.</summary>
public enum FallbackStrategy
{
    /// <summary>Leave <c>{NAME}</c> in the text.</summary>
    KeepPlaceholder,

    /// <summary>Use the template's default value (the placeholder stays when there is none).</summary>
    UseDefault,

    /// <summary>Send that contact nothing.</summary>
    SkipContact,
}
