using MassTransit;
using Turumba.Channels;
using Turumba.Contacts;
using Turumba.Contracts;
using Turumba.Platform.Api;
using Turumba.Platform.Persistence;

namespace Turumba.Messaging.Messages.Create;

/// <summary>The one place a single outbound message is composed: the API's create and the scheduling trigger use it.</summary>
internal sealed class SingleSends(
    IChannelCatalog channels, ChannelAdapterRegistry adapters, IContactDirectory directory, ITemplateCatalog templates, IMessageStore store,
    IChannelTemplates synced, TimeProvider clock)
    : ISingleSends
{
    public async Task<Guid> AddQueuedAsync(TurumbaDbContext db, ISendEndpointProvider sendEndpoints, SingleSend send, CancellationToken cancellationToken) =>
        (await AddAsync(db, sendEndpoints, send, scheduledAt: null, cancellationToken)).Id;

    /// <summary>
    /// Queued with its dispatch command, or <c>scheduled</c> (no command: the scheduling role releases it) when <paramref name="scheduledAt"/> is in the future.
    /// A message that would reach its recipient inside the channel's quiet hours waits queued with <c>deferred_until</c> (no command either).
    /// </summary>
    public async Task<Message> AddAsync(
        TurumbaDbContext db, ISendEndpointProvider sendEndpoints, SingleSend send, DateTimeOffset? scheduledAt, CancellationToken cancellationToken)
    {
        var channel = await channels.FindAsync(send.ChannelId, cancellationToken);
        var contact = send.ContactId is { } contactId && await directory.GetContactsAsync(send.AccountId, [contactId], cancellationToken) is [var found] ? found : null;
        var template = send.TemplateId is { } templateId ? await templates.GetAsync(db, send.AccountId, templateId, cancellationToken) : null;
        template = await synced.WithSyncedStatusAsync(channel, template, cancellationToken);
        var message = SingleSendComposer.Compose(send, channel, adapters, contact, template, clock.GetUtcNowForDatabase(), scheduledAt);
        db.Add(message);
        if (SingleSendComposer.DispatchesNow(message))
        {
            var endpoint = await sendEndpoints.GetSendEndpoint(DispatchQueues.AddressFor(channel!.ChannelType));
            await endpoint.Send(new DispatchMessage(message.Id, message.CreatedAt, send.AccountId, channel.Id, channel.ChannelType), cancellationToken);
        }

        return message;
    }

    public async Task<IReadOnlyList<SingleSendResult>> AddManyAsync(
        TurumbaDbContext db, ISendEndpointProvider sendEndpoints, IReadOnlyList<SingleSend> sends, CancellationToken cancellationToken)
    {
        var composed = await ComposeManyAsync(db, sends, cancellationToken);
        await WriteManyAsync(db, sendEndpoints, composed.Messages, composed.Channels, cancellationToken);
        return composed.Results.Select(r => new SingleSendResult(r.Message?.Id, r.Error?.Message)).ToList();
    }

    /// <summary>
    /// The messages of many sends, set-based: channels, contacts and templates looked up once for all of
    /// them, each composed (and validated) as a single send is; nothing is written. A send that cannot be
    /// made is answered with the API error it would have raised. Results are in the order of <paramref name="sends"/>.
    /// </summary>
    public async Task<ComposedSends> ComposeManyAsync(TurumbaDbContext db, IReadOnlyList<SingleSend> sends, CancellationToken cancellationToken)
    {
        var channelById = new Dictionary<Guid, ChannelSnapshot?>();
        foreach (var channelId in sends.Select(s => s.ChannelId).Distinct())
        {
            channelById[channelId] = await channels.FindAsync(channelId, cancellationToken);
        }

        var contacts = new Dictionary<(Guid AccountId, Guid ContactId), DirectoryContact>();
        foreach (var ofAccount in sends.Where(s => s.ContactId is not null).GroupBy(s => s.AccountId))
        {
            var found = await directory.GetContactsAsync(ofAccount.Key, ofAccount.Select(s => s.ContactId!.Value).Distinct().ToList(), cancellationToken);
            foreach (var contact in found)
            {
                contacts[(ofAccount.Key, contact.Id)] = contact;
            }
        }

        var templateById = await templates.GetManyAsync(
            db, sends.Where(s => s.TemplateId is not null).Select(s => (s.AccountId, s.TemplateId!.Value)).Distinct().ToList(), cancellationToken);

        var now = clock.GetUtcNowForDatabase();
        var results = new List<ComposedSend>(sends.Count);
        var messages = new List<Message>(sends.Count);
        foreach (var send in sends)
        {
            try
            {
                var template = await synced.WithSyncedStatusAsync(channelById[send.ChannelId],
                    send.TemplateId is { } templateId ? templateById.GetValueOrDefault((send.AccountId, templateId)) : null, cancellationToken);
                var message = SingleSendComposer.Compose(send, channelById[send.ChannelId], adapters,
                    send.ContactId is { } contactId ? contacts.GetValueOrDefault((send.AccountId, contactId)) : null,
                    template, now, send.ScheduledAt);
                messages.Add(message);
                results.Add(new ComposedSend(message, null));
            }
            catch (ApiException ex)
            {
                results.Add(new ComposedSend(null, ex));
            }
        }

        return new ComposedSends(results, messages, channelById);
    }

    /// <summary>
    /// Writes composed messages with one COPY inside <paramref name="db"/>'s current transaction (which the
    /// caller must hold, and commit after its save) and sends the dispatch commands of those due now to
    /// the bus outbox, a hundred per channel at a time.
    /// </summary>
    public async Task WriteManyAsync(
        TurumbaDbContext db, ISendEndpointProvider sendEndpoints, IReadOnlyList<Message> messages, IReadOnlyDictionary<Guid, ChannelSnapshot?> channelById,
        CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("WriteManyAsync writes at once; the caller must hold a transaction.");
        }

        await store.BulkInsertAsync(db, messages.Select(SingleSendComposer.ToNewMessage).ToList(), cancellationToken);
        foreach (var ofChannel in messages.Where(SingleSendComposer.DispatchesNow).GroupBy(m => m.ChannelId))
        {
            var channel = channelById[ofChannel.Key]!;
            var endpoint = await sendEndpoints.GetSendEndpoint(DispatchQueues.AddressFor(channel.ChannelType));
            await DispatchCommands.SendAsync(endpoint, channel, ofChannel.Select(m => (m.Id, m.CreatedAt, m.AccountId)), cancellationToken);
        }
    }
}

/// <summary>One composed send: its message, or the API error that refused it.</summary>
internal sealed record ComposedSend(Message? Message, ApiException? Error);

/// <summary>What <see cref="SingleSends.ComposeManyAsync"/> made: a result per send, the messages made, and the channels looked up.</summary>
internal sealed record ComposedSends(IReadOnlyList<ComposedSend> Results, IReadOnlyList<Message> Messages, IReadOnlyDictionary<Guid, ChannelSnapshot?> Channels);
