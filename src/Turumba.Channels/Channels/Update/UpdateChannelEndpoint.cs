using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Turumba.Channels.Channels.Verification;
using Turumba.Channels.Credentials;
using Turumba.Channels.Caching;
using Turumba.Contracts;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Channels.Channels.Update;

/// <summary>
/// A partial update. <c>credentials</c> are merged into the stored ones (send only what changes;
/// an empty string removes a field) and re-verified unless <c>?verify=false</c>. Removing a field the
/// adapter generates (Meta's <c>verify_token</c>) generates a new one, returned once in <c>generated_credentials</c>.
/// </summary>
internal sealed record UpdateChannelRequest(
    string? Name,
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

internal sealed class UpdateChannelValidator : AbstractValidator<UpdateChannelRequest>
{
    public UpdateChannelValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200).When(r => r.Name is not null);
        RuleFor(r => r.SenderName).MaximumLength(100);
        RuleFor(r => r.DefaultCountryCode).MaximumLength(5);
        this.ChannelSettings(r => r.RateLimit, r => r.RetryCount, r => r.RetryInterval, r => r.CostPerSegment);
        this.QuietHoursSetting(r => r.QuietHours, allowRemove: true);
    }
}

internal static class UpdateChannelEndpoint
{
    public static async Task<IResult> HandleAsync(
        Guid id,
        UpdateChannelRequest request,
        bool? verify,
        TurumbaDbContext db,
        ChannelVerifier verifier,
        CredentialProtector protector,
        ChannelAdapterRegistry adapters,
        ApiBaseUrlPolicy baseUrls,
        IPublishEndpoint publish,
        TimeProvider clock,
        CachedChannelCatalog cache,
        CancellationToken cancellationToken)
    {
        var channel = await db.Set<Channel>().FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw NotFoundException.For("channel", id);
        var credentials = protector.Unprotect(channel.EncryptedCredentials);
        var credentialsChanged = request.Credentials is { Count: > 0 };
        var generated = new Dictionary<string, string>(StringComparer.Ordinal);
        if (credentialsChanged)
        {
            foreach (var (field, value) in request.Credentials!)
            {
                if (value.Length == 0)
                {
                    credentials.Remove(field);
                }
                else
                {
                    credentials[field] = value.Trim();
                }
            }

            // The stored webhook secret is ours; only one the caller tried to set is an error.
            var toCheck = request.Credentials!.ContainsKey(ChannelCredentials.WebhookSecret)
                ? credentials
                : credentials.Where(p => p.Key != ChannelCredentials.WebhookSecret).ToDictionary();
            var failures = ChannelRules.CheckCredentials(adapters, baseUrls, channel.ChannelType, toCheck).Select(f => new FieldError(f.PropertyName, f.ErrorMessage)).ToList();
            if (failures.Count > 0)
            {
                throw new RequestValidationException(failures);
            }

            channel.Provider = credentials.GetValueOrDefault(ChannelCredentials.Provider);
            // A generated field the update removed (verify_token: "") gets a new value, shown once in this answer.
            generated = GeneratedCredentials.AddMissing(adapters.TryResolve(channel.ChannelType, channel.Provider), credentials);
        }

        channel.Name = request.Name?.Trim() ?? channel.Name;
        channel.SenderName = request.SenderName ?? channel.SenderName;
        channel.DefaultCountryCode = request.DefaultCountryCode ?? channel.DefaultCountryCode;
        channel.RateLimit = request.RateLimit ?? channel.RateLimit;
        channel.Priority = request.Priority ?? channel.Priority;
        channel.RetryCount = request.RetryCount ?? channel.RetryCount;
        channel.RetryInterval = request.RetryInterval ?? channel.RetryInterval;
        channel.CostPerSegment = request.CostPerSegment ?? channel.CostPerSegment;
        request.QuietHours?.ApplyTo(channel);
        var enabledChanged = request.IsEnabled is { } enabled && enabled != channel.IsEnabled;
        channel.IsEnabled = request.IsEnabled ?? channel.IsEnabled;
        if (channel.IsEnabled && (enabledChanged || credentialsChanged)
            && ChannelRules.CheckAdapter(adapters, channel.ChannelType, channel.Provider) is { } missing)
        {
            throw new RequestValidationException([new FieldError(missing.PropertyName, missing.ErrorMessage)]);
        }

        if (!channel.IsEnabled)
        {
            channel.Status = ChannelStatus.Disabled;
        }
        else if ((credentialsChanged || enabledChanged) && (verify ?? true))
        {
            credentials = await verifier.VerifyAsync(channel, credentials, cancellationToken);
        }
        else if (enabledChanged || credentialsChanged)
        {
            channel.Status = ChannelStatus.Disconnected;
        }

        channel.EncryptedCredentials = protector.Protect(credentials);
        await publish.Publish(new ChannelChanged(channel.Id, channel.AccountId, channel.ChannelType, ChannelChange.Updated, clock.GetUtcNow()), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        // This instance forgets at once; the others when ChannelChanged reaches them.
        await cache.EvictAsync(channel.Id);
        var response = ChannelResponse.From(channel, protector);
        return ApiResults.Ok(generated.Count > 0 ? response with { GeneratedCredentials = generated } : response);
    }
}
