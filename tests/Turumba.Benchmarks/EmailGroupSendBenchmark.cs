using System.Globalization;
using System.Net.Http.Json;
using Npgsql;
using Turumba.Simulator;

namespace Turumba.Benchmarks;

/// <summary>
/// A group email of N recipients to the simulator's SMTP relay (STARTTLS with its certificate pinned,
/// AUTH, a templated subject, text and HTML) on the real host (<c>--roles all</c>, Production settings,
/// the default pool of 4 sessions per channel). Beside it, in the same run and on the same host, the
/// same group sent over Telegram (one HTTPS-less JSON call per message to the simulator) as the
/// baseline. Reports both rates and their ratio, the SMTP sessions the email send opened, the host's
/// peak memory before and after the email send, and the host's CPU per 1,000 emails.
/// </summary>
internal static class EmailGroupSendBenchmark
{
    private const string Username = "benchmark-relay";

    public static async Task RunAsync(BenchmarkEnvironment environment, int contacts)
    {
        await using var simulator = await SimulatorHost.StartAsync();
        var port = SingleSendBenchmark.FreePort();
        using var host = SingleSendBenchmark.StartHost(environment, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
        await SingleSendBenchmark.WaitForReadyAsync(http, host);
        http.DefaultRequestHeaders.Add("X-Api-Key", await SingleSendBenchmark.CreateAccountAsync(environment));
        var telegram = await SingleSendBenchmark.CreateChannelAsync(http, simulator);
        var email = await GroupSendRun.ReadIdAsync(await http.PostAsJsonAsync("/v1/channels", new
        {
            name = "benchmark relay",
            channel_type = "email",
            credentials = new Dictionary<string, string>
            {
                ["host"] = "127.0.0.1",
                ["port"] = simulator.Smtp.Port.ToString(CultureInfo.InvariantCulture),
                ["security"] = "starttls",
                ["tls_certificate_sha256"] = simulator.Smtp.CertificateSha256,
                ["username"] = Username,
                ["password"] = "benchmark-password",
                ["from_address"] = "news@turumba.test",
                ["from_name"] = "Turumba News",
            },
        }));
        var template = await GroupSendRun.ReadIdAsync(await http.PostAsJsonAsync("/v1/templates", new
        {
            name = "benchmark letter",
            subject = "News for {FIRST_NAME}",
            body = "Hi {FIRST_NAME}, your order is ready.",
            html_body = "<p>Hi <b>{FIRST_NAME}</b>, your order is ready.</p>",
        }));
        await using var connection = new NpgsqlConnection(environment.Postgres);
        await connection.OpenAsync();

        Console.WriteLine($"Creating {contacts} contacts with an email address and a Telegram chat, and a warm-up group of 200 ...");
        static object Contact(int i) => new
        {
            first_name = $"Contact{i}",
            email = $"contact{i}@example.org",
            addresses = new Dictionary<string, string> { ["telegram"] = $"{10_000_000 + i}" },
        };
        var warm = await GroupSendRun.ImportGroupAsync(http, "warm-up", 200, i => Contact(contacts + i));
        var group = await GroupSendRun.ImportGroupAsync(http, "benchmark", contacts, Contact);
        foreach (var channel in new[] { email, telegram })
        {
            await GroupSendRun.QueueAndWaitAsync(http, connection, Send(channel, warm, template), 200);
        }

        var sessionsBefore = simulator.Smtp.SessionsOf(Username);
        var peakBefore = SingleSendBenchmark.PeakMemoryMiB(host);
        Console.WriteLine($"Sending the group email to {contacts} ...");
        var cpu = CpuMeter.Start(host);
        var (emailId, _, emailSent) = await GroupSendRun.QueueAndWaitAsync(http, connection, Send(email, group, template), contacts);
        cpu.Stop();
        var sessions = simulator.Smtp.SessionsOf(Username) - sessionsBefore;
        var peakAfter = SingleSendBenchmark.PeakMemoryMiB(host);
        var accepted = simulator.Smtp.MessagesBy(Username).Count;
        await using var failed = new NpgsqlCommand($"select count(*) from messaging.messages where group_message_id = '{emailId}' and status <> 'sent'", connection);
        var notSent = (long)(await failed.ExecuteScalarAsync())!;

        Console.WriteLine($"Baseline: the same group over Telegram ...");
        var (_, _, telegramSent) = await GroupSendRun.QueueAndWaitAsync(http, connection, Send(telegram, group, template), contacts);

        double Rate(TimeSpan t) => contacts / t.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"email, all {contacts} sent:       {Rate(emailSent),8:F0} msg/s ({emailSent.TotalSeconds:F1} s; {notSent} not sent; the relay holds {accepted} incl. the warm-up)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"telegram (baseline), all sent:  {Rate(telegramSent),8:F0} msg/s ({telegramSent.TotalSeconds:F1} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"email / telegram:               {telegramSent / emailSent,8:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SMTP sessions opened:           {sessions,8} during the send, {simulator.Smtp.SessionsOf(Username),0} in all (the pool is filled by the warm-up and kept)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host peak memory (VmHWM):       {peakBefore,8:F0} MiB before the email send, {peakAfter:F0} MiB after"));
        cpu.Print(contacts);
        host.Kill(entireProcessTree: true);
    }

    private static object Send(Guid channel, Guid group, Guid template) =>
        new { channel_id = channel, contact_group_ids = new[] { group }, template_id = template, status = "queued" };
}
