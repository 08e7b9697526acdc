using FluentValidation;
using Turumba.Platform;
using Turumba.Platform.Persistence;
using Turumba.Scheduling.Recurrence;

namespace Turumba.Scheduling.ScheduledMessages;

/// <summary>What a schedule says, as created or as it will be after a PATCH; validated the same way in both.</summary>
internal sealed record ScheduleFields(
    Guid? ChannelId,
    Guid? TemplateId,
    string? MessageBody,
    string? Name,
    SendType? SendType,
    Guid? ContactId,
    string? DeliveryAddress,
    IReadOnlyList<Guid>? ContactGroupIds,
    DateTimeOffset? ScheduledAt,
    string? Timezone,
    bool IsRecurring,
    string? RecurrenceRule,
    DateTimeOffset? RecurrenceEndAt,
    bool ScheduledAtChanged,
    string? DeliverAt = null)
{
    public static ScheduleFields Of(ScheduledMessage s) => new(s.ChannelId, s.TemplateId, s.MessageBody, s.Name, s.SendType, s.ContactId,
        s.DeliveryAddress, s.ContactGroupIds, s.ScheduledAt, s.Timezone, s.IsRecurring, s.RecurrenceRule, s.RecurrenceEndAt, ScheduledAtChanged: false,
        s.DeliverAt.ToSnakeCase());

    /// <summary><c>deliver_at</c> as stored; <c>schedule_time</c> when left out (valid fields only).</summary>
    public DeliverAt DeliverAtValue() => DeliverAtNames.Parse(DeliverAt)!.Value;

    /// <summary>The run times these fields describe (valid fields only).</summary>
    public Occurrences Occurrences() => new(ScheduledAt!.Value, TimeZones.Find(Timezone)!,
        IsRecurring ? Recurrence.RecurrenceRule.Parse(RecurrenceRule!) : null, IsRecurring ? RecurrenceEndAt : null);
}

internal sealed class ScheduleFieldsValidator : AbstractValidator<ScheduleFields>
{
    public ScheduleFieldsValidator(TimeProvider clock)
    {
        RuleFor(f => f.ChannelId).NotEmpty().OverridePropertyName("channel_id");
        RuleFor(f => f.SendType).NotNull().OverridePropertyName("send_type").WithMessage("send_type must be single or group.");
        RuleFor(f => f.Name).MaximumLength(200).OverridePropertyName("name");
        RuleFor(f => f.MessageBody).MaximumLength(10_000).OverridePropertyName("message_body");
        RuleFor(f => f).Must(f => (f.TemplateId is null) != string.IsNullOrEmpty(f.MessageBody))
            .OverridePropertyName("message_body").WithMessage("Give exactly one of message_body and template_id.");
        RuleFor(f => f).Must(f => f.ContactId is not null || !string.IsNullOrWhiteSpace(f.DeliveryAddress))
            .When(f => f.SendType == ScheduledMessages.SendType.Single)
            .OverridePropertyName("delivery_address").WithMessage("A single schedule needs a contact_id or a delivery_address.");
        RuleFor(f => f.DeliveryAddress).MaximumLength(320).OverridePropertyName("delivery_address");
        RuleFor(f => f.ContactGroupIds).NotEmpty().When(f => f.SendType == ScheduledMessages.SendType.Group)
            .OverridePropertyName("contact_group_ids").WithMessage("A group schedule needs at least one contact group in contact_group_ids.");
        RuleFor(f => f.ScheduledAt).NotNull().OverridePropertyName("scheduled_at").WithMessage("scheduled_at is required.");
        RuleFor(f => f.ScheduledAt).Must(at => at > clock.GetUtcNowForDatabase())
            .When(f => f.ScheduledAt is not null && f.ScheduledAtChanged)
            .OverridePropertyName("scheduled_at").WithMessage("scheduled_at must be in the future.");
        RuleFor(f => f.Timezone).Must(z => TimeZones.Find(z) is not null)
            .OverridePropertyName("timezone").WithMessage(f => $"'{f.Timezone}' is not an IANA time zone (for example Africa/Addis_Ababa or America/New_York).");
        RuleFor(f => f.RecurrenceRule).NotEmpty().When(f => f.IsRecurring)
            .OverridePropertyName("recurrence_rule").WithMessage("A recurring schedule needs a recurrence_rule.");
        RuleFor(f => f.RecurrenceRule).Custom((rule, context) =>
        {
            if (!Recurrence.RecurrenceRule.TryParse(rule, out _, out var error))
            {
                context.AddFailure("recurrence_rule", error);
            }
        }).When(f => f.IsRecurring && !string.IsNullOrEmpty(f.RecurrenceRule));
        RuleFor(f => f.RecurrenceRule).Empty().When(f => !f.IsRecurring)
            .OverridePropertyName("recurrence_rule").WithMessage("recurrence_rule needs is_recurring: true.");
        RuleFor(f => f.DeliverAt).Must(d => DeliverAtNames.Parse(d) is not null)
            .OverridePropertyName("deliver_at").WithMessage(f => $"deliver_at must be schedule_time or recipient_local, not '{f.DeliverAt}'.");
        RuleFor(f => f.DeliverAt).Must(d => DeliverAtNames.Parse(d) != ScheduledMessages.DeliverAt.RecipientLocal)
            .When(f => f.SendType == ScheduledMessages.SendType.Single)
            .OverridePropertyName("deliver_at").WithMessage("deliver_at: recipient_local is only for group sends (send_type group).");
        RuleFor(f => f.RecurrenceEndAt).Must((f, end) => end > f.ScheduledAt)
            .When(f => f.RecurrenceEndAt is not null && f.ScheduledAt is not null)
            .OverridePropertyName("recurrence_end_at").WithMessage("recurrence_end_at must be after scheduled_at.");
    }
}

internal static class DeliverAtNames
{
    /// <summary>The value named (null or blank: <c>schedule_time</c>); null when it names none.</summary>
    public static DeliverAt? Parse(string? name) => name?.Trim() switch
    {
        null or "" or "schedule_time" => DeliverAt.ScheduleTime,
        "recipient_local" => DeliverAt.RecipientLocal,
        _ => null,
    };
}

internal static class ScheduleFieldsValidation
{
    /// <summary>A 422 naming every invalid field, in the shape the API's validation filter uses.</summary>
    public static async Task ThrowIfInvalidAsync(this IValidator<ScheduleFields> validator, ScheduleFields fields, CancellationToken cancellationToken)
    {
        var result = await validator.ValidateAsync(fields, cancellationToken);
        if (!result.IsValid)
        {
            throw new Platform.Api.RequestValidationException(
                result.Errors.Select(e => new Platform.Api.FieldError(e.PropertyName, e.ErrorMessage)).DistinctBy(e => e.Field + e.Message).ToList());
        }
    }
}
