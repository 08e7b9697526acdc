using System.Text.Json.Nodes;
using FluentValidation;

namespace Turumba.Messaging.Messages.Create;

/// <summary>
/// The fields of one outbound message, as <c>POST /v1/messages</c> takes them and as each item of
/// <c>POST /v1/messages/batch</c> takes them: one set of rules (<see cref="SendRequestValidator{T}"/>)
/// and one conversion (<see cref="SendRequests.ToSingleSend"/>) for both.
/// </summary>
internal interface ISendRequest
{
    Guid? ChannelId { get; }

    Guid? ContactId { get; }

    string? DeliveryAddress { get; }

    string? MessageBody { get; }

    Guid? TemplateId { get; }

    Dictionary<string, string>? CustomValues { get; }

    DateTimeOffset? ScheduledAt { get; }

    string? MediaUrl { get; }

    string? MediaType { get; }

    JsonObject? Metadata { get; }

    bool? IgnoreQuietHours { get; }
}

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
    bool? IgnoreQuietHours) : ISendRequest;

/// <summary>The rules of a send's own fields, before anything is looked up (those checks are <see cref="SingleSendComposer"/>'s).</summary>
internal abstract class SendRequestValidator<T> : AbstractValidator<T>
    where T : ISendRequest
{
    protected SendRequestValidator()
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

internal sealed class CreateMessageValidator : SendRequestValidator<CreateMessageRequest>;

internal static class SendRequests
{
    /// <summary>The send a request asks for; <c>media_url</c> and <c>media_type</c> travel in the metadata.</summary>
    public static SingleSend ToSingleSend(this ISendRequest request, Guid accountId)
    {
        var metadata = request.Metadata?.DeepClone().AsObject() ?? [];
        if (request.MediaUrl is not null)
        {
            metadata["media_url"] = request.MediaUrl;
            metadata["media_type"] = request.MediaType;
        }

        return new SingleSend(accountId, request.ChannelId!.Value, request.ContactId, request.DeliveryAddress, request.MessageBody,
            request.TemplateId, request.CustomValues, metadata, request.IgnoreQuietHours ?? false, request.ScheduledAt);
    }
}
