using FluentValidation;
using NodaTime;
using Turumba.Platform.Time;

namespace Turumba.Channels.Channels;

/// <summary>
/// <c>quiet_hours</c> on a channel: <c>{"start": "21:00", "end": "08:00", "timezone": "Africa/Addis_Ababa"}</c>
/// (<c>timezone</c> optional); <c>{}</c> on a PATCH removes them.
/// </summary>
internal sealed record QuietHoursRequest(string? Start, string? End, string? Timezone)
{
    public bool Removes => Start is null && End is null && Timezone is null;

    public void ApplyTo(Channel channel)
    {
        if (Removes)
        {
            (channel.QuietHoursStart, channel.QuietHoursEnd, channel.QuietHoursTimezone) = (null, null, null);
            return;
        }

        QuietHours.TryParse(Start, End, out var hours, out _, out _);
        channel.QuietHoursStart = hours!.Start.ToTimeOnly();
        channel.QuietHoursEnd = hours.End.ToTimeOnly();
        channel.QuietHoursTimezone = string.IsNullOrWhiteSpace(Timezone) ? null : Timezone.Trim();
    }
}

internal sealed record QuietHoursResponse(string Start, string End, string? Timezone)
{
    public static QuietHoursResponse? From(Channel c) => c.QuietHoursStart is { } start && c.QuietHoursEnd is { } end
        ? new QuietHoursResponse(QuietHours.Format(LocalTime.FromTimeOnly(start)), QuietHours.Format(LocalTime.FromTimeOnly(end)), c.QuietHoursTimezone)
        : null;
}

internal static class QuietHoursRules
{
    /// <summary>Both bounds as HH:mm and different, an IANA zone if one is given; <paramref name="allowRemove"/> lets <c>{}</c> through.</summary>
    public static void QuietHoursSetting<T>(this AbstractValidator<T> validator, Func<T, QuietHoursRequest?> quietHours, bool allowRemove) =>
        validator.RuleFor(r => quietHours(r)).Custom((request, context) =>
        {
            if (request is null || (allowRemove && request.Removes))
            {
                return;
            }

            if (!QuietHours.TryParse(request.Start, request.End, out _, out var field, out var error))
            {
                context.AddFailure($"quiet_hours.{field}", $"quiet_hours.{field}: {error}");
            }

            if (request.Timezone is not null && WallClock.FindZone(request.Timezone) is null)
            {
                context.AddFailure("quiet_hours.timezone", $"'{request.Timezone}' is not an IANA time zone (for example Africa/Addis_Ababa).");
            }
        });
}
