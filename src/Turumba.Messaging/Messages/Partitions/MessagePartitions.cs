namespace Turumba.Messaging.Messages.Partitions;

/// <summary>
/// Monthly partitions of <c>messaging.messages</c>. The table and the function
/// <c>messaging.ensure_message_partitions(from, months_ahead)</c> are created by the Messages
/// migration; <see cref="PartitionMaintenanceService"/> calls the function to stay ahead.
/// </summary>
internal static class MessagePartitions
{
    public const int MonthsAhead = 3;
}
