using System.Text.Json.Nodes;
using FluentValidation;

namespace Turumba.Messaging.Messages.Create;

/// <summary>
/// One outbound message: to a contact (address from the channel type) or to a delivery address;
/// a body, or a template rendered for the contact with custom values. <c>metadata</c> carries
/// per-provider options (<c>parse_mode</c> for Telegram, <c>subject</c> for email, …).
/// <c>ignore_quiet_hours: true</c> sends a transactional message even inside the channel's quiet hours.
/// </summary>
internal sealed record CreateMessageRequest(
    Guid? ChannelId,
    Guid? ContactId,
    string? DeliveryAddress,
    string? MessageBody,
    Guid? TemplateId,
    Dictionary<string, string>? CustomValues,
    DateTimeOffset? ScheduledAt,
    string? MediaUrl,
    string? MediaType,
    JsonObject? Metadata,
    bool? IgnoreQuietHours);

internal sealed class CreateMessageValidator : AbstractValidator<CreateMessageRequest>
{
    public CreateMessageValidator()
    {
        RuleFor(r => r.ChannelId).NotEmpty();
        RuleFor(r => r.DeliveryAddress).MaximumLength(320);
        RuleFor(r => r.MessageBody).MaximumLength(10_000);
        RuleFor(r => r).Must(r => r.ContactId is not null || !string.IsNullOrWhiteSpace(r.DeliveryAddress))
            .WithName("delivery_address").WithMessage("Give a contact_id or a delivery_address.");
        RuleFor(r => r).Must(r => (r.TemplateId is null) != string.IsNullOrEmpty(r.MessageBody))
            .WithName("message_body").WithMessage("Give exactly one of message_body and template_id.");
        RuleFor(r => r.MediaUrl).MaximumLength(2048);
        RuleFor(r => r.MediaType).MaximumLength(100);
        RuleFor(r => r.MediaUrl).Must(u => u is null || Uri.TryCreate(u, UriKind.Absolute, out _)).WithMessage("media_url must be an absolute URL.");
    }
}
