using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Turumba.Benchmarks;

/// <summary>The steps every group-send scenario shares: import a group through the API, queue a send, time its fan-out and its end.</summary>
internal static class GroupSendRun
{
    /// <summary>Imports <paramref name="contacts"/> contacts (10,000 per request) into a new group; <paramref name="contact"/> gives contact i's fields.</summary>
    public static async Task<Guid> ImportGroupAsync(HttpClient http, string name, int contacts, Func<int, object> contact)
    {
        var group = await ReadIdAsync(await http.PostAsJsonAsync("/v1/contact-groups", new { name }));
        for (var start = 0; start < contacts; start += 10_000)
        {
            var rows = Enumerable.Range(start, Math.Min(10_000, contacts - start)).Select(contact);
            using var imported = await http.PostAsJsonAsync($"/v1/contacts/import?group_ids={group}", rows);
            imported.EnsureSuccessStatusCode();
        }

        return group;
    }

    /// <summary>A Telegram contact: chat 10,000,000 + i.</summary>
    public static object TelegramContact(int i) =>
        new { first_name = $"Contact{i}", addresses = new Dictionary<string, string> { ["telegram"] = $"{10_000_000 + i}" }, phone = $"+2519{i:D8}" };

    /// <summary>
    /// Posts the group send <paramref name="send"/> and waits until its fan-out has completed and
    /// <paramref name="expected"/> of its messages are out of queued/sending. Times from the post.
    /// </summary>
    public static async Task<(Guid Id, TimeSpan FanOut, TimeSpan AllSent)> QueueAndWaitAsync(HttpClient http, NpgsqlConnection connection, object send, int expected)
    {
        var clock = Stopwatch.StartNew();
        var id = await ReadIdAsync(await http.PostAsJsonAsync("/v1/group-messages", send));
        await WaitAsync(connection, $"select fan_out_completed from groups.group_messages where id = '{id}'", v => v is true);
        var fanOut = clock.Elapsed;
        await WaitAsync(connection, $"select count(*) from messaging.messages where group_message_id = '{id}' and status not in ('queued', 'sending')", v => (long)v! >= expected);
        return (id, fanOut, clock.Elapsed);
    }

    public static async Task WaitAsync(NpgsqlConnection connection, string sql, Func<object?, bool> done)
    {
        while (true)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            if (done(await command.ExecuteScalarAsync()))
            {
                return;
            }

            await Task.Delay(20);
        }
    }

    public static async Task<Guid> ReadIdAsync(HttpResponseMessage response)
    {
        using (response)
        {
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("data").GetProperty("id").GetGuid();
        }
    }
}
