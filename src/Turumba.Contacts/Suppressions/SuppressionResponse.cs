namespace Turumba.Contacts.Suppressions;

internal sealed record SuppressionResponse(
    Guid Id,
    Guid AccountId,
    string Address,
    string ChannelType,
    SuppressionReason Reason,
    string Source,
    DateTimeOffset CreatedAt)
{
    public static SuppressionResponse From(Suppression s) => new(s.Id, s.AccountId, s.Address, s.ChannelType, s.Reason, s.Source, s.CreatedAt);
}
