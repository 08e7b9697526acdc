using Turumba.Adapters;
using Turumba.Channels;
using Turumba.Contacts;
using Turumba.Dispatch;
using Turumba.Groups;
using Turumba.Messaging;
using Turumba.Platform;
using Turumba.Platform.Modules;
using Turumba.Scheduling;
using Turumba.Webhooks;

namespace Turumba.Host;

/// <summary>Every module of the host. The model is composed from all of them whatever the roles.</summary>
public static class TurumbaModules
{
    public static ModuleCatalog Catalog { get; } = new(
    [
        new PlatformModule(),
        new ContactsModule(),
        new ChannelsModule(),
        new AdaptersModule(),
        new DispatchModule(),
        new WebhooksModule(),
        new GroupsModule(),
        new MessagingModule(),
        new SchedulingModule(),
    ]);
}
