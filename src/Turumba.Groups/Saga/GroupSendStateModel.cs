using Microsoft.EntityFrameworkCore;
using Turumba.Groups.GroupMessages;
using Turumba.Outbox.Sagas;

namespace Turumba.Groups.Saga;

internal static class GroupSendStateModel
{
    public static void Configure(ModelBuilder model) => model.Entity<GroupSendState>(saga =>
    {
        saga.ToTable("group_send_sagas", GroupMessagesModel.Schema);
        saga.IsTurumbaSaga();
        saga.Property(s => s.CurrentState).HasMaxLength(40);
    });
}
