using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Platform;
using Turumba.Platform.Api;
using Turumba.Messaging;
using Turumba.Platform.Persistence;
using Turumba.Scheduling.Trigger;

namespace Turumba.Scheduling.ScheduledMessages.Update;

/// <summary>A partial edit: a field left out or null keeps its value; an empty string clears a text field.</summary>
internal sealed record UpdateScheduledMessageRequest(
    Guid? TemplateId,
    string? MessageBody,
    string? Name,
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
    ScheduleStatus? Status,
    string? DeliverAt)
{
    public bool ChangesContent => DeliverAt is not null || TemplateId is not null || MessageBody is not null || Name is not null || ContactId is not null
        || DeliveryAddress is not null || ContactGroupIds is not null || ExcludeContactIds is not null || CustomValues is not null || ChangesTimes;

    public bool ChangesTimes => ScheduledAt is not null || Timezone is not null || IsRecurring is not null || RecurrenceRule is not null || RecurrenceEndAt is not null;
}

/// <summary>
/// <c>PATCH /v1/scheduled-messages/{id}</c>: edit a pending or paused schedule (a changed time,
/// rule or zone recomputes <c>next_trigger_at</c>); <c>status: paused</c> pauses,
/// <c>status: pending</c> resumes from now (runs missed while paused are not sent),
/// <c>status: cancelled</c> stops it for good. A completed, failed or cancelled schedule is final (409).
/// </summary>
internal static class UpdateScheduledMessageEndpoint
{
    public static async Task<IResult> HandleAsync(
        Guid id, UpdateScheduledMessageRequest request, TurumbaDbContext db, IValidator<ScheduleFields> validator, ScheduleReferences references,
        IMessageStore messages, TimeProvider clock, CancellationToken cancellationToken)
    {
        // The row lock orders an edit against a trigger that holds the row: one of them sees the other's result.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var schedule = await db.Set<ScheduledMessage>().FromSql($"select * from scheduling.scheduled_messages where id = {id} for update")
            .FirstOrDefaultAsync(cancellationToken) ?? throw NotFoundException.For("scheduled message", id);
        var now = clock.GetUtcNowForDatabase();
        // A run prepared ahead of its time and not released yet is taken back, so the change applies to it.
        await PreparedRuns.TakeBackAsync(db, messages, schedule, now, cancellationToken);
        if (schedule.Status is ScheduleStatus.Completed or ScheduleStatus.Cancelled or ScheduleStatus.Failed)
        {
            throw new ConflictException($"The schedule is {schedule.Status.ToSnakeCase()}; a finished schedule cannot be edited or resumed.");
        }

        if (schedule.Status is ScheduleStatus.Triggered)
        {
            throw new ConflictException("The schedule is triggered: its last send was made and has not ended; there is nothing left to edit, pause or cancel.");
        }

        if (request.ChangesContent)
        {
            await ApplyEditAsync(schedule, request, db, validator, references, now, cancellationToken);
        }

        switch (request.Status)
        {
            case null:
                break;
            case ScheduleStatus.Paused:
                schedule.Status = ScheduleStatus.Paused;
                break;
            case ScheduleStatus.Pending when schedule.Status == ScheduleStatus.Paused:
                schedule.Status = ScheduleStatus.Pending;
                schedule.NextTriggerAt = ScheduleFields.Of(schedule).Occurrences().NextAfter(now)
                    ?? throw new ConflictException("The schedule's last run passed while it was paused; give a new scheduled_at to resume it.");
                break;
            case ScheduleStatus.Pending:
                break;
            case ScheduleStatus.Cancelled:
                schedule.Status = ScheduleStatus.Cancelled;
                schedule.NextTriggerAt = null;
                break;
            default:
                throw RequestValidationException.For("status", "status can be set to paused, pending (resume) or cancelled.");
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ApiResults.Ok(ScheduledMessageResponse.From(schedule));
    }

    private static async Task ApplyEditAsync(
        ScheduledMessage schedule, UpdateScheduledMessageRequest request, TurumbaDbContext db, IValidator<ScheduleFields> validator,
        ScheduleReferences references, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var isRecurring = request.IsRecurring ?? schedule.IsRecurring;
        var fields = ScheduleFields.Of(schedule) with
        {
            TemplateId = request.MessageBody is { Length: > 0 } ? null : request.TemplateId ?? schedule.TemplateId,
            MessageBody = request.TemplateId is not null ? null : Text(request.MessageBody, schedule.MessageBody),
            Name = Text(request.Name, schedule.Name),
            ContactId = request.DeliveryAddress is { Length: > 0 } ? null : request.ContactId ?? schedule.ContactId,
            DeliveryAddress = request.ContactId is not null ? null : Text(request.DeliveryAddress, schedule.DeliveryAddress),
            ContactGroupIds = request.ContactGroupIds ?? schedule.ContactGroupIds,
            ScheduledAt = request.ScheduledAt ?? schedule.ScheduledAt,
            Timezone = request.Timezone ?? schedule.Timezone,
            IsRecurring = isRecurring,
            RecurrenceRule = isRecurring ? Text(request.RecurrenceRule, schedule.RecurrenceRule) : null,
            RecurrenceEndAt = isRecurring ? request.RecurrenceEndAt ?? schedule.RecurrenceEndAt : null,
            ScheduledAtChanged = request.ScheduledAt is not null,
            DeliverAt = request.DeliverAt ?? schedule.DeliverAt.ToSnakeCase(),
        };
        await validator.ThrowIfInvalidAsync(fields, cancellationToken);
        await references.ThrowIfMissingAsync(db, schedule.AccountId, fields, cancellationToken);

        schedule.TemplateId = fields.TemplateId;
        schedule.MessageBody = fields.MessageBody;
        schedule.Name = fields.Name;
        schedule.ContactId = fields.ContactId;
        schedule.DeliveryAddress = fields.DeliveryAddress?.Trim();
        schedule.ContactGroupIds = fields.ContactGroupIds!.Distinct().ToList();
        schedule.ExcludeContactIds = request.ExcludeContactIds?.Distinct().ToList() ?? schedule.ExcludeContactIds;
        schedule.CustomValues = request.CustomValues ?? schedule.CustomValues;
        schedule.DeliverAt = fields.DeliverAtValue();
        if (request.ChangesTimes)
        {
            var occurrences = fields.Occurrences();
            schedule.ScheduledAt = fields.ScheduledAt!.Value;
            schedule.Timezone = occurrences.Zone.Id;
            schedule.IsRecurring = fields.IsRecurring;
            schedule.RecurrenceRule = fields.RecurrenceRule?.Trim();
            schedule.RecurrenceEndAt = fields.RecurrenceEndAt;
            // The first run when it is still ahead, else the next one after now: an edit never sends missed runs.
            schedule.NextTriggerAt = occurrences.NextAfter(now)
                ?? throw RequestValidationException.For("recurrence_rule", "With these times the schedule has no run left.");
        }
    }

    private static string? Text(string? requested, string? current) => requested is null ? current : requested.Length == 0 ? null : requested;
}
