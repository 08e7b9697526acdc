using FluentValidation;
using Microsoft.AspNetCore.Http;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;
using Turumba.Platform.Tenancy;

namespace Turumba.Scheduling.ScheduledMessages.Create;

internal sealed record CreateScheduledMessageRequest(
    Guid? ChannelId,
    Guid? TemplateId,
    string? MessageBody,
    string? Name,
    SendType? SendType,
    Guid? ContactId,
    string? DeliveryAddress,
    List<Guid>? ContactGroupIds,
    List<Guid>? ExcludeContactIds,
    Dictionary<string, string>? CustomValues,
    DateTimeOffset? ScheduledAt,
    string? Timezone,
    bool? IsRecurring,
    string? RecurrenceRule,
    DateTimeOffset? RecurrenceEndAt,
    string? DeliverAt)
{
    /// <summary>The zone of a schedule created without one: its times are then read as UTC.</summary>
    public const string DefaultTimezone = "UTC";

    public ScheduleFields Fields() => new(ChannelId, TemplateId, MessageBody, Name, SendType, ContactId, DeliveryAddress, ContactGroupIds,
        ScheduledAt, Timezone ?? DefaultTimezone, IsRecurring ?? false, RecurrenceRule, RecurrenceEndAt, ScheduledAtChanged: true, DeliverAt);
}

/// <summary><c>POST /v1/scheduled-messages</c>: a schedule, pending with its first run in <c>next_trigger_at</c>.</summary>
internal static class CreateScheduledMessageEndpoint
{
    public static async Task<IResult> HandleAsync(
        CreateScheduledMessageRequest request,
        TurumbaDbContext db,
        ICurrentAccount account,
        IValidator<ScheduleFields> validator,
        ScheduleReferences references,
        CancellationToken cancellationToken)
    {
        var fields = request.Fields();
        await validator.ThrowIfInvalidAsync(fields, cancellationToken);
        var accountId = account.RequiredAccountId;
        await references.ThrowIfMissingAsync(db, accountId, fields, cancellationToken);
        var first = fields.Occurrences().First()
            ?? throw RequestValidationException.For("recurrence_rule", "The rule has no run between scheduled_at and recurrence_end_at.");

        var schedule = new ScheduledMessage
        {
            AccountId = accountId,
            ChannelId = request.ChannelId!.Value,
            TemplateId = request.TemplateId,
            MessageBody = request.MessageBody,
            Name = request.Name,
            SendType = request.SendType!.Value,
            ContactId = request.ContactId,
            DeliveryAddress = request.DeliveryAddress?.Trim(),
            ContactGroupIds = request.ContactGroupIds?.Distinct().ToList() ?? [],
            ExcludeContactIds = request.ExcludeContactIds?.Distinct().ToList() ?? [],
            CustomValues = request.CustomValues ?? [],
            ScheduledAt = request.ScheduledAt!.Value,
            Timezone = fields.Occurrences().Zone.Id,
            DeliverAt = fields.DeliverAtValue(),
            IsRecurring = fields.IsRecurring,
            RecurrenceRule = fields.IsRecurring ? request.RecurrenceRule!.Trim() : null,
            RecurrenceEndAt = fields.IsRecurring ? request.RecurrenceEndAt : null,
            NextTriggerAt = first,
        };
        db.Add(schedule);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created($"/v1/scheduled-messages/{schedule.Id}", ScheduledMessageResponse.From(schedule));
    }
}
