namespace Turumba.Messaging;

public enum MessageDirection
{
    Outbound,
    Inbound,
    System,
}

/// <summary>Outbound: queued → sending → sent → delivered (→ read); or failed / permanently_failed / cancelled.</summary>
public enum MessageStatus
{
    Scheduled,
    Queued,
    Sending,
    Sent,
    Delivered,
    Read,
    Failed,
    PermanentlyFailed,
    Cancelled,
}
