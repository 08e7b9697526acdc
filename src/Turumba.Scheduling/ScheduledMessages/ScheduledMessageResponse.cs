namespace Turumba.Scheduling.ScheduledMessages;

internal sealed record ScheduledMessageResponse(
    Guid Id,
    Guid AccountId,
    Guid ChannelId,
    Guid? TemplateId,
    string? MessageBody,
    string? Name,
    ScheduleStatus Status,
    SendType SendType,
    Guid? ContactId,
    string? DeliveryAddress,
    IReadOnlyList<Guid> ContactGroupIds,
    IReadOnlyList<Guid> ExcludeContactIds,
    IReadOnlyDictionary<string, string> CustomValues,
    DateTimeOffset ScheduledAt,
    string Timezone,
    DeliverAt DeliverAt,
    bool IsRecurring,
    string? RecurrenceRule,
    DateTimeOffset? RecurrenceEndAt,
    DateTimeOffset? NextTriggerAt,
    DateTimeOffset? LastTriggeredAt,
    int TriggerCount,
    Guid? MessageId,
    Guid? GroupMessageId,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ScheduledMessageResponse From(ScheduledMessage s) => new(
        s.Id, s.AccountId, s.ChannelId, s.TemplateId, s.MessageBody, s.Name, s.Status, s.SendType, s.ContactId, s.DeliveryAddress,
        s.ContactGroupIds, s.ExcludeContactIds, s.CustomValues, s.ScheduledAt, s.Timezone, s.DeliverAt, s.IsRecurring, s.RecurrenceRule, s.RecurrenceEndAt,
        s.NextTriggerAt, s.LastTriggeredAt, s.TriggerCount, s.MessageId, s.GroupMessageId, s.LastError, s.CreatedAt, s.UpdatedAt);
}
