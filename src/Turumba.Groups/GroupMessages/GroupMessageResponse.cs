namespace Turumba.Groups.GroupMessages;

internal sealed record GroupMessageResponse(
    Guid Id,
    Guid AccountId,
    Guid ChannelId,
    Guid TemplateId,
    string? Name,
    GroupMessageStatus Status,
    IReadOnlyList<Guid> ContactGroupIds,
    IReadOnlyList<Guid> ExcludeContactIds,
    IReadOnlyDictionary<string, string> CustomValues,
    int TotalRecipients,
    int SkippedCount,
    int SuppressedCount,
    int SentCount,
    int DeliveredCount,
    int FailedCount,
    int PendingCount,
    DateTimeOffset? ScheduledAt,
    GroupDeliverAt DeliverAt,
    string? Timezone,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static GroupMessageResponse From(GroupMessage g) => new(
        g.Id, g.AccountId, g.ChannelId, g.TemplateId, g.Name, g.Status, g.ContactGroupIds, g.ExcludeContactIds, g.CustomValues,
        g.TotalRecipients, g.SkippedCount, g.SuppressedCount, g.SentCount, g.DeliveredCount, g.FailedCount, g.PendingCount,
        g.ScheduledAt, g.DeliverAt, g.Timezone, g.StartedAt, g.CompletedAt, g.CreatedAt, g.UpdatedAt);
}
