namespace Turumba.Scheduling.Outcomes;

internal static class ScheduleQueues
{
    /// <summary>The queue the original design names for scheduling; here it carries how the schedules' sends end.</summary>
    public const string Processing = "scheduled_message_processing";
}
