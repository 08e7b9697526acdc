using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Turumba.Channels;
using Turumba.Contacts;
using Turumba.Groups.FanOut;
using Turumba.Messaging;
using Turumba.Platform;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;
using Turumba.Platform.Text;

namespace Turumba.Groups.GroupMessages.Estimate;

/// <summary>
/// What a send would be, without sending: the recipients it would reach, skip (no address, or the
/// template's fallback) and leave out as suppressed, and on SMS
/// channels the segments of every rendered message (by count and encoding) and, when the channel
/// has a <c>cost_per_segment</c>, the cost. On channels with a customer-service window (WhatsApp,
/// Messenger) <see cref="CustomerWindow"/> splits the recipients by how they would go if sent now.
/// Walks the groups and renders each contact exactly as the fan-out does.
/// </summary>
internal sealed record GroupMessageEstimate(
    int Recipients,
    int Skipped,
    int Suppressed,
    string ChannelType,
    long? Segments,
    IReadOnlyDictionary<string, int>? MessagesBySegments,
    IReadOnlyDictionary<string, int>? MessagesByEncoding,
    decimal? CostPerSegment,
    decimal? EstimatedCost,
    WindowEstimate? CustomerWindow = null);

/// <summary>
/// Of the recipients, as if sent now: how many are inside the 24-hour window (free-form), outside it
/// with the linked approved WhatsApp template (sent as that template), and outside it without one
/// (they would fail <c>outside_customer_service_window</c>, without a provider call).
/// </summary>
internal sealed record WindowEstimate(int AsFreeForm, int AsTemplate, int Failing);

internal static class EstimateGroupMessageEndpoint
{
    public static async Task<IResult> HandleAsync(
        Guid id, TurumbaDbContext db, IContactDirectory directory, IChannelCatalog channels, ITemplateCatalog templates,
        IChannelTemplates synced, ChannelAdapterRegistry adapters, IMessageStore messages,
        IOptions<FanOutOptions> options, CancellationToken cancellationToken)
    {
        var group = await db.Set<GroupMessage>().AsNoTracking().FirstOrDefaultAsync(g => g.Id == id, cancellationToken)
            ?? throw NotFoundException.For("group message", id);
        var channel = await channels.FindAsync(group.ChannelId, cancellationToken)
            ?? throw new ConflictException($"The group message's channel {group.ChannelId} no longer exists.");
        var template = await synced.WithSyncedStatusAsync(channel, await templates.GetAsync(db, group.AccountId, group.TemplateId, cancellationToken), cancellationToken)
            ?? throw new ConflictException($"The group message's template {group.TemplateId} no longer exists.");

        var sms = channel.ChannelType is ChannelTypes.Sms or ChannelTypes.Smpp;
        var custom = TemplateRenderer.CaseInsensitive(group.CustomValues);
        var (recipients, skipped, suppressed, segments) = (0, 0, 0, 0L);
        var windowed = adapters.TryResolve(channel.ChannelType, channel.Provider) is { UsesCustomerWindow: true } adapter ? adapter : null;
        var (asFreeForm, asTemplate, failing) = (0, 0, 0);
        var bySegments = new SortedDictionary<int, int>();
        var byEncoding = new SortedDictionary<string, int>(StringComparer.Ordinal);
        Guid? after = null;
        do
        {
            var page = await directory.GetGroupMembersAsync(group.AccountId, group.ContactGroupIds, group.ExcludeContactIds, after,
                channel.ChannelType, options.Value.FanOutPageSize, cancellationToken);
            var windowedRecipients = new List<GroupRecipient>();
            foreach (var contact in page.Contacts)
            {
                var recipient = GroupRecipient.Of(contact, channel.ChannelType, template, custom);
                if (recipient.Fate == GroupRecipientFate.Suppressed)
                {
                    suppressed++;
                    continue;
                }

                if (recipient.Fate == GroupRecipientFate.Skipped)
                {
                    skipped++;
                    continue;
                }

                recipients++;
                if (windowed is not null)
                {
                    windowedRecipients.Add(recipient);
                }

                if (sms)
                {
                    var measured = SmsEncoding.Measure(recipient.Text!);
                    segments += measured.Segments;
                    bySegments[measured.Segments] = bySegments.GetValueOrDefault(measured.Segments) + 1;
                    byEncoding[measured.Encoding] = byEncoding.GetValueOrDefault(measured.Encoding) + 1;
                }
            }

            if (windowed is not null && windowedRecipients.Count > 0)
            {
                // One primary-key lookup per page, as dispatch does per round (decision 46).
                var lastInbound = await messages.LastInboundAtAsync(channel.Id, windowedRecipients.Select(r => r.Address!).Distinct().ToList(), cancellationToken);
                foreach (var recipient in windowedRecipients)
                {
                    var last = lastInbound.TryGetValue(recipient.Address!, out var at) ? at : (DateTimeOffset?)null;
                    switch (windowed.PredictSend(last, recipient.TemplateLinked, channel.Credentials))
                    {
                        case WindowedSend.Template:
                            asTemplate++;
                            break;
                        case WindowedSend.Fails:
                            failing++;
                            break;
                        default:
                            asFreeForm++;
                            break;
                    }
                }
            }

            after = page.Next;
        }
        while (after is not null);

        return ApiResults.Ok(new GroupMessageEstimate(
            recipients, skipped, suppressed, channel.ChannelType,
            sms ? segments : null,
            sms ? bySegments.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value) : null,
            sms ? byEncoding : null,
            sms ? channel.CostPerSegment : null,
            sms && channel.CostPerSegment is { } cost ? cost * segments : null,
            windowed is null ? null : new WindowEstimate(asFreeForm, asTemplate, failing)));
    }
}
