using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace Turumba.Simulator.Smtp;

/// <summary>
/// SmtpServer's listening, with Nagle's algorithm off on every accepted connection. SmtpServer writes
/// each reply to a pipelined MAIL/RCPT/DATA group separately; with Nagle on, the second waits for the
/// client's delayed ACK (40 ms on Linux), so every message took ~45 ms and a pooled session carried ~20
/// a second: the simulator, not the adapter, was the limit of every email benchmark. Real relays flush
/// pipelined replies together. SmtpServer's own listener and pipe cannot be given a socket option (their
/// constructors are internal), hence these two small classes.
/// </summary>
internal sealed class NoDelayListenerFactory : IEndpointListenerFactory
{
    public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
    {
        var listener = new TcpListener(endpointDefinition.Endpoint);
        listener.Start();
        return new Listener(listener);
    }

    private sealed class Listener(TcpListener listener) : IEndpointListener
    {
        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            client.NoDelay = true;
            context.Properties[EndpointListener.LocalEndPointKey] = client.Client.LocalEndPoint!;
            context.Properties[EndpointListener.RemoteEndPointKey] = client.Client.RemoteEndPoint!;
            return new Pipe(client);
        }

        public void Dispose() => listener.Stop();
    }

    private sealed class Pipe : ISecurableDuplexPipe
    {
        private readonly TcpClient _client;
        private Stream _stream;

        public Pipe(TcpClient client)
        {
            _client = client;
            _stream = client.GetStream();
            Input = PipeReader.Create(_stream);
            Output = PipeWriter.Create(_stream);
        }

        public PipeReader Input { get; private set; }

        public PipeWriter Output { get; private set; }

        public bool IsSecure => _stream is SslStream;

        public SslProtocols SslProtocol => (_stream as SslStream)?.SslProtocol ?? SslProtocols.None;

        // Called after the 220 reply to STARTTLS (or at once on the implicit-TLS port): the client sends
        // nothing more in clear, so nothing is left behind in the plain reader.
        public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default)
        {
            var tls = new SslStream(_stream, leaveInnerStreamOpen: true);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                EnabledSslProtocols = protocols,
                ClientCertificateRequired = false,
            }, cancellationToken);
            _stream = tls;
            Input = PipeReader.Create(tls);
            Output = PipeWriter.Create(tls);
        }

        public void Dispose()
        {
            _stream.Dispose();
            _client.Dispose();
        }
    }
}
