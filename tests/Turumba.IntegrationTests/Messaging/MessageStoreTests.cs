using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Turumba.Messaging;
using Turumba.Platform.Persistence;

namespace Turumba.IntegrationTests.Messaging;

[TestFixture]
public sealed class MessageStoreTests
{
    [Test]
    public async Task Bulk_insert_commits_with_the_callers_transaction()
    {
        var account = await TestServices.App.CreateAccountAsync("bulk");
        var group = Guid.NewGuid();
        await using (var scope = TestServices.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TurumbaDbContext>();
            var store = scope.ServiceProvider.GetRequiredService<IMessageStore>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await store.BulkInsertAsync(db, Batch(account.AccountId, group, 10_000), CancellationToken.None);
            await transaction.CommitAsync();
        }

        using var client = TestServices.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", account.ApiKey);
        var listed = await (await client.GetAsync($"/v1/messages?filter=group_message_id:eq:{group}&filter=status:eq:queued&limit=1")).ExpectAsync(HttpStatusCode.OK);

        Assert.That(listed.GetProperty("meta").GetProperty("total").GetInt64(), Is.EqualTo(10_000));
        Assert.That(listed.GetProperty("data")[0].GetProperty("message_body").GetString(), Does.StartWith("Hello "));
    }

    [Test]
    public async Task Bulk_insert_rolls_back_with_the_callers_transaction()
    {
        var account = await TestServices.App.CreateAccountAsync("bulk rollback");
        var group = Guid.NewGuid();
        await using (var scope = TestServices.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TurumbaDbContext>();
            var store = scope.ServiceProvider.GetRequiredService<IMessageStore>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await store.BulkInsertAsync(db, Batch(account.AccountId, group, 100), CancellationToken.None);
            await transaction.RollbackAsync();
        }

        using var client = TestServices.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", account.ApiKey);
        var listed = await (await client.GetAsync("/v1/messages")).ExpectAsync(HttpStatusCode.OK);

        Assert.That(listed.GetProperty("meta").GetProperty("total").GetInt64(), Is.Zero);
    }

    private static List<NewMessage> Batch(Guid accountId, Guid group, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var channel = Guid.NewGuid();
        return Enumerable.Range(0, count).Select(i => new NewMessage(
            Guid.CreateVersion7(now), accountId, channel, Guid.CreateVersion7(), group, null, MessageStatus.Queued,
            $"+2519{i:D8}", $"Hello {i}", "Hello {FIRST_NAME}", now)).ToList();
    }
}
