using Turumba.Contracts;
using Turumba.Messaging.Messages.Store;
using Turumba.Platform;

namespace Turumba.Messaging.Messages.Receipts;

/// <summary>The event published for status reports that moved messages.</summary>
internal static class StatusChanges
{
    public static MessageStatusesChanged From(IEnumerable<AppliedStatus> applied, DateTimeOffset now) =>
        new(applied.Select(a => new MessageStatusChange(
            a.MessageId, a.CreatedAt, a.AccountId, a.ChannelId, a.GroupMessageId, a.Status.ToSnakeCase(),
            null, null, now, a.Previous.ToSnakeCase())).ToList());
}
