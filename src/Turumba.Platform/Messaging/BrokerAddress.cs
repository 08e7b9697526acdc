using Microsoft.Extensions.Configuration;
using Turumba.Platform.Persistence;

namespace Turumba.Platform.Messaging;

/// <summary>
/// Where the broker is for operator tools: the AMQP URI of <c>ConnectionStrings:RabbitMq</c> (MassTransit's
/// rabbitmq:// spelled amqp://), its virtual host and credentials, and the management API
/// (<c>Turumba:RabbitMq:ManagementUrl</c>, by default port 15672 of the AMQP host, plain HTTP).
/// </summary>
internal sealed class BrokerAddress
{
    public BrokerAddress(IConfiguration configuration)
    {
        var uri = new UriBuilder(ConnectionStrings.Require(configuration, ConnectionStrings.RabbitMq));
        uri.Scheme = uri.Scheme switch
        {
            "rabbitmq" => "amqp",
            "rabbitmqs" => "amqps",
            _ => uri.Scheme,
        };
        Amqp = uri.Uri;
        var path = Uri.UnescapeDataString(uri.Path.TrimStart('/'));
        VirtualHost = path.Length == 0 ? "/" : path;
        User = Uri.UnescapeDataString(uri.UserName.Length == 0 ? "guest" : uri.UserName);
        Password = Uri.UnescapeDataString(uri.Password.Length == 0 ? "guest" : uri.Password);
        Management = configuration["Turumba:RabbitMq:ManagementUrl"] is { Length: > 0 } configured
            ? new Uri(configured.TrimEnd('/') + "/")
            : new Uri($"http://{uri.Host}:15672/");
    }

    public Uri Amqp { get; }

    public string VirtualHost { get; }

    public string User { get; }

    public string Password { get; }

    public Uri Management { get; }
}
