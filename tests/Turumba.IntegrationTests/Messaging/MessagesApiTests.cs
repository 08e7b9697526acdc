using System.Net;
using Npgsql;

namespace Turumba.IntegrationTests.Messaging;

[TestFixture]
public sealed class MessagesApiTests
{
    [Test]
    public async Task Messages_table_is_partitioned_by_month_with_three_months_ahead()
    {
        var now = DateTimeOffset.UtcNow;
        var expected = Enumerable.Range(0, 4).Select(i => $"messages_{now.AddMonths(i):yyyy_MM}").ToList();

        var partitions = await MessageRows.PartitionsAsync();

        Assert.That(partitions, Is.SupersetOf(expected));
    }

    [Test]
    public async Task Partition_function_creates_missing_months_once()
    {
        await using var connection = new NpgsqlConnection(TestServices.Postgres);
        await connection.OpenAsync();
        await using var ensure = new NpgsqlCommand("select messaging.ensure_message_partitions(now() + interval '2 years', 1)", connection);

        var first = (int)(await ensure.ExecuteScalarAsync())!;
        var second = (int)(await ensure.ExecuteScalarAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(2));
            Assert.That(second, Is.Zero);
        });
    }

    [Test]
    public async Task Maintenance_role_recreates_a_missing_future_partition()
    {
        var furthest = $"messages_{DateTimeOffset.UtcNow.AddMonths(3):yyyy_MM}";
        await using (var connection = new NpgsqlConnection(TestServices.Postgres))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop table messaging.{furthest}", connection);
            await drop.ExecuteNonQueryAsync();
        }

        await using var maintenance = new TurumbaApp(roles: "maintenance");
        _ = maintenance.Services;

        await Eventually.WaitAsync(async () => (await MessageRows.PartitionsAsync()).Contains(furthest), TimeSpan.FromSeconds(30), $"{furthest} to be recreated");
    }

    [Test]
    public async Task Messages_are_listed_filtered_and_read_by_id_across_months()
    {
        var account = await TestServices.App.CreateAccountAsync("messages");
        using var client = TestServices.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", account.ApiKey);
        var channel = Guid.NewGuid();
        var nextMonth = DateTimeOffset.UtcNow.AddMonths(1);
        var sent = await MessageRows.InsertAsync(account.AccountId, "sent", "+251911700001", channelId: channel);
        var queued = await MessageRows.InsertAsync(account.AccountId, "queued", "+251911700002", channelId: channel);
        var later = await MessageRows.InsertAsync(account.AccountId, "delivered", "@someone", createdAt: nextMonth);
        await MessageRows.InsertAsync(Guid.NewGuid(), "sent", "+251911700001");

        var all = await (await client.GetAsync("/v1/messages")).ExpectAsync(HttpStatusCode.OK);
        var onChannel = await (await client.GetAsync($"/v1/messages?filter=channel_id:eq:{channel}&filter=status:in:sent,queued&sort=created_at:asc")).ExpectAsync(HttpStatusCode.OK);
        var byAddress = await (await client.GetAsync("/v1/messages?filter=delivery_address:contains:700002")).ExpectAsync(HttpStatusCode.OK);
        var fromNextMonth = (await (await client.GetAsync($"/v1/messages/{later}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data");

        Assert.Multiple(() =>
        {
            Assert.That(all.GetProperty("meta").GetProperty("total").GetInt64(), Is.EqualTo(3), "other accounts' messages are invisible");
            Assert.That(onChannel.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()), Is.EqualTo(new[] { sent, queued }));
            Assert.That(byAddress.GetProperty("data")[0].GetProperty("id").GetGuid(), Is.EqualTo(queued));
            Assert.That(fromNextMonth.GetProperty("status").GetString(), Is.EqualTo("delivered"));
            Assert.That(fromNextMonth.GetProperty("direction").GetString(), Is.EqualTo("outbound"));
        });
        await (await client.GetAsync("/v1/messages?filter=status:eq:lost")).ExpectErrorAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Test]
    public async Task Queued_message_can_be_cancelled_but_a_sent_one_cannot()
    {
        var account = await TestServices.App.CreateAccountAsync("cancel");
        using var client = TestServices.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", account.ApiKey);
        var queued = await MessageRows.InsertAsync(account.AccountId, "queued", "+251911700010");
        var sent = await MessageRows.InsertAsync(account.AccountId, "sent", "+251911700011");

        var cancelled = (await (await client.PatchJsonAsync($"/v1/messages/{queued}", new { status = "cancelled", metadata = new { note = "changed my mind" } }))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("data");
        await (await client.PatchJsonAsync($"/v1/messages/{sent}", new { status = "cancelled" })).ExpectErrorAsync(HttpStatusCode.Conflict, "conflict");
        await (await client.PatchJsonAsync($"/v1/messages/{sent}", new { status = "delivered" })).ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "validation_error");

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(cancelled.GetProperty("metadata").GetProperty("note").GetString(), Is.EqualTo("changed my mind"));
        });
    }

    [Test]
    public async Task Deleted_message_is_gone()
    {
        var account = await TestServices.App.CreateAccountAsync("delete");
        using var client = TestServices.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", account.ApiKey);
        var id = await MessageRows.InsertAsync(account.AccountId, "failed", "+251911700020");

        Assert.That((await client.DeleteAsync($"/v1/messages/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await (await client.GetAsync($"/v1/messages/{id}")).ExpectErrorAsync(HttpStatusCode.NotFound, "not_found");
    }
}
