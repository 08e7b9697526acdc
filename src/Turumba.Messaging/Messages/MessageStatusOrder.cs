using Turumba.Platform;

namespace Turumba.Messaging.Messages;

/// <summary>
/// How far along a message is. A provider's report moves a message only further along: sent &lt;
/// delivered = failed &lt; read, so a late "sent" after "delivered" changes nothing and a failure
/// counts only before delivery; nothing moves a cancelled message. Stated once: the statement that
/// applies reports is built from it.
/// </summary>
internal static class MessageStatusOrder
{
    private static readonly Dictionary<MessageStatus, int> Ranks = new()
    {
        [MessageStatus.Scheduled] = 1,
        [MessageStatus.Queued] = 1,
        [MessageStatus.Sending] = 1,
        [MessageStatus.Sent] = 2,
        [MessageStatus.Delivered] = 3,
        [MessageStatus.Failed] = 3,
        [MessageStatus.PermanentlyFailed] = 3,
        [MessageStatus.Read] = 4,
        [MessageStatus.Cancelled] = 5,
    };

    public static int Rank(MessageStatus status) => Ranks[status];

    /// <summary>The rank of the status in <paramref name="column"/> as a SQL <c>case</c> expression.</summary>
    public static string SqlRank(string column) =>
        $"(case {column}{string.Concat(Ranks.Select(r => $" when '{r.Key.ToSnakeCase()}' then {r.Value}"))} end)";
}
