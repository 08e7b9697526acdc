using System.Buffers;
using System.Net;
using System.Net.Sockets;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Turumba.Simulator.Smtp;

/// <summary>
/// The SMTP server (the SmtpServer library, not a hand-written protocol) on two loopback ports:
/// one with STARTTLS and one with implicit TLS, both with the simulator's self-signed certificate,
/// AUTH PLAIN/LOGIN required and only after TLS. Ports come from <c>Smtp:Port</c> / <c>Smtp:TlsPort</c>;
/// by default 2525 and 2465, or free ports when the simulator's HTTP port is 0 (tests).
/// </summary>
internal sealed class SmtpRelay(SmtpSimulator simulator, IConfiguration configuration) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var urls = configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? string.Empty;
        var ephemeral = urls.EndsWith(":0", StringComparison.Ordinal);
        simulator.Port = Port("Smtp:Port", ephemeral ? 0 : 2525);
        simulator.TlsPort = Port("Smtp:TlsPort", ephemeral ? 0 : 2465);
        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.simulator.turumba.test")
            .MaxAuthenticationAttempts(1)
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, simulator.Port)).IsSecure(false).Certificate(simulator.Certificate)
                .AuthenticationRequired(true).AllowUnsecureAuthentication(false))
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, simulator.TlsPort)).IsSecure(true).Certificate(simulator.Certificate)
                .AuthenticationRequired(true).AllowUnsecureAuthentication(false))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(simulator));
        services.Add(new Filter(simulator));
        services.Add(new Authenticator(simulator));
        services.Add((SmtpServer.Net.IEndpointListenerFactory)new NoDelayListenerFactory());
        var server = new SmtpServer.SmtpServer(options, services);
        server.SessionCreated += (_, _) => simulator.SessionOpened();
        _running = server.StartAsync(_stop.Token);
        await ListeningAsync(simulator.Port, cancellationToken);
        await ListeningAsync(simulator.TlsPort, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            try
            {
                await _running.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
            }
        }
    }

    public void Dispose() => _stop.Dispose();

    private int Port(string key, int fallback)
    {
        var port = configuration.GetValue<int?>(key) ?? fallback;
        if (port != 0)
        {
            return port;
        }

        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var free = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return free;
    }

    // SmtpServer binds in the background; wait (bounded) until the port takes connections.
    private async Task ListeningAsync(int port, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && _running is { IsCompleted: false })
            {
                await Task.Delay(20, cancellationToken);
            }
        }
    }

    private static SmtpResponse Reply(string reply)
    {
        var code = int.Parse(reply.AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture);
        return new SmtpResponse((SmtpReplyCode)code, reply[3..].Trim());
    }

    private sealed class Authenticator(SmtpSimulator simulator) : UserAuthenticator
    {
        public override Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
        {
            var accepted = simulator.Authenticate(user);
            if (accepted)
            {
                simulator.Authenticated(user);
            }

            return Task.FromResult(accepted);
        }
    }

    private sealed class Filter(SmtpSimulator simulator) : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
        {
            var reply = simulator.RecipientReply(to.AsAddress());
            if (reply == SmtpSimulator.Drop)
            {
                // No reply at all: the connection goes away mid-transaction.
                throw new IOException("The simulator drops the connection.");
            }

            if (reply is not null)
            {
                throw new SmtpResponseException(Reply(reply), reply.StartsWith("421", StringComparison.Ordinal));
            }

            return Task.FromResult(true);
        }
    }

    private sealed class Store(SmtpSimulator simulator) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (simulator.Faults.NextLatency() is { } latency && latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, cancellationToken);
            }

            simulator.Accept(context.SessionId.ToString(), context.Authentication.User, transaction.From.AsAddress(),
                transaction.To.Select(t => t.AsAddress()).ToList(), buffer.ToArray());
            return SmtpResponse.Ok;
        }
    }
}
