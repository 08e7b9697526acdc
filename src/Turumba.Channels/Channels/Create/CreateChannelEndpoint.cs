using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Turumba.Channels.Channels.Verification;
using Turumba.Channels.Credentials;
using Turumba.Contracts;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;
using Turumba.Platform.Tenancy;

namespace Turumba.Channels.Channels.Create;

internal sealed record CreateChannelRequest(
    string? Name,
    string? ChannelType,
    Dictionary<string, string>? Credentials,
    string? SenderName,
    string? DefaultCountryCode,
    int? RateLimit,
    int? Priority,
    int? RetryCount,
    int? RetryInterval,
    bool? IsEnabled,
    QuietHoursRequest? QuietHours,
    decimal? CostPerSegment = null);

internal sealed class CreateChannelValidator : AbstractValidator<CreateChannelRequest>
{
    public CreateChannelValidator(ChannelAdapterRegistry adapters, ApiBaseUrlPolicy baseUrls)
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.ChannelType).NotEmpty().KnownChannelType();
        RuleFor(r => r.Credentials).NotNull().WithMessage("credentials are required.");
        RuleFor(r => r.SenderName).MaximumLength(100);
        RuleFor(r => r.DefaultCountryCode).MaximumLength(5);
        this.ChannelSettings(r => r.RateLimit, r => r.RetryCount, r => r.RetryInterval, r => r.CostPerSegment);
        this.QuietHoursSetting(r => r.QuietHours, allowRemove: false);
        RuleFor(r => r).Custom((request, context) =>
        {
            if (request.Credentials is not null && Platform.ChannelTypes.IsKnown(request.ChannelType))
            {
                if (ChannelRules.CheckAdapter(adapters, request.ChannelType!, request.Credentials.GetValueOrDefault(ChannelCredentials.Provider)) is { } missing)
                {
                    context.AddFailure(missing);
                    return;
                }

                foreach (var failure in ChannelRules.CheckCredentials(adapters, baseUrls, request.ChannelType!, request.Credentials))
                {
                    context.AddFailure(failure);
                }
            }
        });
    }
}

internal static class CreateChannelEndpoint
{
    public static async Task<IResult> HandleAsync(
        CreateChannelRequest request,
        bool? verify,
        TurumbaDbContext db,
        ICurrentAccount account,
        ChannelVerifier verifier,
        ChannelAdapterRegistry adapters,
        Templates.ChannelTemplateSync templates,
        CredentialProtector protector,
        IPublishEndpoint publish,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var credentials = request.Credentials!.ToDictionary(p => p.Key, p => p.Value.Trim(), StringComparer.Ordinal);
        var channel = new Channel
        {
            AccountId = account.RequiredAccountId,
            Name = request.Name!.Trim(),
            ChannelType = request.ChannelType!,
            Provider = credentials.GetValueOrDefault(ChannelCredentials.Provider),
            IsEnabled = request.IsEnabled ?? true,
            EncryptedCredentials = string.Empty,
            SenderName = request.SenderName,
            DefaultCountryCode = request.DefaultCountryCode,
            RateLimit = request.RateLimit,
            Priority = request.Priority ?? 0,
            RetryCount = request.RetryCount ?? 3,
            RetryInterval = request.RetryInterval ?? 60,
            CostPerSegment = request.CostPerSegment,
        };
        request.QuietHours?.ApplyTo(channel);
        var generated = GeneratedCredentials.AddMissing(adapters.TryResolve(channel.ChannelType, channel.Provider), credentials);
        channel.Status = channel.IsEnabled ? ChannelStatus.Disconnected : ChannelStatus.Disabled;
        if (verify ?? true)
        {
            credentials = await verifier.VerifyAsync(channel, credentials, cancellationToken);
        }

        channel.EncryptedCredentials = protector.Protect(credentials);
        db.Add(channel);
        // Published before saving: with the bus outbox the event commits with the channel.
        await publish.Publish(new ChannelChanged(channel.Id, channel.AccountId, channel.ChannelType, ChannelChange.Created, clock.GetUtcNow()), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (channel.Status == ChannelStatus.Connected)
        {
            await templates.TrySyncAsync(db, channel, cancellationToken);
        }

        var response = ChannelResponse.From(channel, protector);
        return ApiResults.Created($"/v1/channels/{channel.Id}", generated.Count > 0 ? response with { GeneratedCredentials = generated } : response);
    }
}
