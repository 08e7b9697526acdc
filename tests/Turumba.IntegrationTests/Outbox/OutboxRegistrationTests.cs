using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Turumba.Outbox;
using Turumba.Platform.Persistence;

namespace Turumba.IntegrationTests.Outbox;

/// <summary>The real host wires the outbox for every role and delivers only where the role says so.</summary>
[TestFixture]
public sealed class OutboxRegistrationTests
{
    [TestCase("all", true)]
    [TestCase("outbox", true)]
    [TestCase("api", false)]
    [TestCase("dispatch", false)]
    public async Task Delivery_and_cleanup_run_only_in_instances_with_the_outbox_role(string roles, bool delivers)
    {
        await using var app = new TurumbaApp(roles);

        var hosted = app.Services.GetServices<IHostedService>().ToList();
        await using var scope = app.Services.CreateAsyncScope();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        await publish.Publish(new Support.OutboxProbe(Guid.NewGuid(), 0));
        var db = scope.ServiceProvider.GetRequiredService<TurumbaDbContext>();

        Assert.Multiple(() =>
        {
            Assert.That(hosted.OfType<BusOutboxDeliveryService<TurumbaDbContext>>().Any(), Is.EqualTo(delivers));
            Assert.That(hosted.OfType<OutboxCleanupService<TurumbaDbContext>>().Any(), Is.EqualTo(delivers));
            Assert.That(db.ChangeTracker.Entries<OutboxMessage>().Count(), Is.EqualTo(1), "every role publishes through the bus outbox");
        });
    }
}
