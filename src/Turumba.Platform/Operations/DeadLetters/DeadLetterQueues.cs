using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Turumba.Platform.Api;
using Turumba.Platform.Messaging;

namespace Turumba.Platform.Operations.DeadLetters;

/// <summary>
/// MassTransit's error queues (<c>&lt;queue&gt;_error</c>): a message whose consumer failed all its
/// retries waits there with its fault headers. Listed through the RabbitMQ management API (the only
/// way to learn which queues exist); read and replayed over AMQP: messages are taken unacknowledged,
/// those replayed are published to their queue with publisher confirms and only then acknowledged,
/// the rest are handed back (requeued). A crash half way leaves a message in both queues at worst,
/// which every consumer here takes harmlessly (dispatch claims each message once).
/// </summary>
internal sealed class DeadLetterQueues(BrokerAddress broker, IHttpClientFactory httpClients)
{
    public const string Suffix = "_error";
    public const int MaxPerReplay = 10_000;
    private const int Samples = 5;

    public async Task<IReadOnlyList<DeadLetterQueue>> ListAsync(CancellationToken cancellationToken)
    {
        var queues = await ErrorQueuesAsync(cancellationToken);
        var result = new List<DeadLetterQueue>(queues.Count);
        await using var connection = await ConnectAsync(cancellationToken);
        foreach (var (name, messages) in queues)
        {
            result.Add(new DeadLetterQueue(name, SourceOf(name), messages, messages == 0 ? [] : await PeekAsync(connection, name, Samples, cancellationToken)));
        }

        return result;
    }

    /// <summary>Moves the messages of <paramref name="queue"/> (all, or those with the given message ids) back to the queue they failed on.</summary>
    public async Task<DeadLetterReplay> ReplayAsync(string queue, IReadOnlyCollection<string>? messageIds, CancellationToken cancellationToken)
    {
        if (!queue.EndsWith(Suffix, StringComparison.Ordinal) || queue.Length == Suffix.Length)
        {
            throw new BadRequestException($"'{queue}' is not an error queue: their names end in {Suffix}.");
        }

        var source = SourceOf(queue);
        var wanted = messageIds is null ? null : new HashSet<string>(messageIds, StringComparer.OrdinalIgnoreCase);
        await using var connection = await ConnectAsync(cancellationToken);
        await DeclaredAsync(connection, queue, cancellationToken);
        await DeclaredAsync(connection, source, cancellationToken);
        var (replayed, found) = await MoveAsync(connection, queue, source, wanted, cancellationToken);

        // Counted on a channel of its own once the moving one is closed: by then the broker has put back what it handed back.
        await using var count = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var remaining = (await count.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        return new DeadLetterReplay(queue, source, replayed, remaining, wanted is null ? [] : wanted.Except(found, StringComparer.OrdinalIgnoreCase).ToList());
    }

    private static async Task<(int Replayed, HashSet<string> Found)> MoveAsync(
        IConnection connection, string queue, string source, HashSet<string>? wanted, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
        var replayed = 0;
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var handBack = new List<ulong>();
        try
        {
            for (var taken = 0; taken < MaxPerReplay; taken++)
            {
                var message = await channel.BasicGetAsync(queue, autoAck: false, cancellationToken);
                if (message is null)
                {
                    break;
                }

                var id = MessageIdOf(message);
                if (wanted is not null && (id is null || !wanted.Contains(id)))
                {
                    handBack.Add(message.DeliveryTag);
                    continue;
                }

                if (id is not null)
                {
                    found.Add(id);
                }

                await channel.BasicPublishAsync(string.Empty, source, mandatory: true, WithoutFault(message.BasicProperties), message.Body, cancellationToken);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
                replayed++;
                if (wanted is not null && found.Count == wanted.Count)
                {
                    break;
                }
            }
        }
        finally
        {
            foreach (var tag in handBack)
            {
                await channel.BasicNackAsync(tag, multiple: false, requeue: true, CancellationToken.None);
            }

            await channel.CloseAsync(CancellationToken.None);
        }

        return (replayed, found);
    }

    private static string SourceOf(string errorQueue) => errorQueue[..^Suffix.Length];

    private async Task<List<(string Name, long Messages)>> ErrorQueuesAsync(CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(nameof(DeadLetterQueues));
        http.Timeout = TimeSpan.FromSeconds(10);
        var url = new Uri(broker.Management, $"api/queues/{Uri.EscapeDataString(broker.VirtualHost)}?columns=name,messages");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{broker.User}:{broker.Password}")));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw Unavailable($"the RabbitMQ management API at {broker.Management} did not answer ({ex.Message})");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw Unavailable($"the RabbitMQ management API at {broker.Management} answered {(int)response.StatusCode}");
            }

            var queues = await response.Content.ReadFromJsonAsync<List<ManagementQueue>>(cancellationToken) ?? [];
            return queues.Where(q => q.Name.EndsWith(Suffix, StringComparison.Ordinal) && q.Name.Length > Suffix.Length)
                .OrderBy(q => q.Name, StringComparer.Ordinal)
                .Select(q => (q.Name, q.Messages ?? 0))
                .ToList();
        }
    }

    private static ApiException Unavailable(string why) => new(503, ApiErrorCodes.Unavailable,
        $"Dead letters are listed through the RabbitMQ management plugin, and {why}. Set Turumba:RabbitMq:ManagementUrl if it is elsewhere.");

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = broker.Amqp, ClientProvidedName = "turumba-dead-letters" };
        try
        {
            return await factory.CreateConnectionAsync(cancellationToken);
        }
        catch (BrokerUnreachableException ex)
        {
            throw new ApiException(503, ApiErrorCodes.Unavailable, $"RabbitMQ is unreachable: {ex.InnerException?.Message ?? ex.Message}");
        }
    }

    /// <summary>A passive declare on a channel of its own (a missing queue closes the channel it was asked on).</summary>
    private static async Task DeclaredAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            throw new NotFoundException($"No queue named '{queue}' exists on the broker.");
        }
    }

    private static async Task<IReadOnlyList<DeadLetter>> PeekAsync(IConnection connection, string queue, int count, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var samples = new List<DeadLetter>(count);
        var tags = new List<ulong>(count);
        try
        {
            while (samples.Count < count && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } message)
            {
                tags.Add(message.DeliveryTag);
                var headers = message.BasicProperties.Headers;
                var envelope = Envelope(message.Body.Span);
                samples.Add(new DeadLetter(message.BasicProperties.MessageId is { Length: > 0 } id ? id : envelope.MessageId, envelope.MessageType,
                    Header(headers, MessageHeaders.FaultExceptionType),
                    Header(headers, MessageHeaders.FaultMessage), FailedAt(Header(headers, MessageHeaders.FaultTimestamp)), Header(headers, MessageHeaders.Reason),
                    message.Redelivered));
            }
        }
        finally
        {
            foreach (var tag in tags)
            {
                await channel.BasicNackAsync(tag, multiple: false, requeue: true, CancellationToken.None);
            }
        }

        return samples;
    }

    private static BasicProperties WithoutFault(IReadOnlyBasicProperties properties)
    {
        var copy = new BasicProperties(properties);
        if (copy.Headers is { } headers)
        {
            copy.Headers = headers.Where(h => !h.Key.StartsWith("MT-Fault-", StringComparison.Ordinal) && h.Key != MessageHeaders.Reason)
                .ToDictionary(h => h.Key, h => h.Value);
        }

        return copy;
    }

    private static string? MessageIdOf(BasicGetResult message) =>
        message.BasicProperties.MessageId is { Length: > 0 } id ? id : Envelope(message.Body.Span).MessageId;

    /// <summary>The MassTransit envelope's message id and first message type; nulls when the body is not an envelope.</summary>
    private static (string? MessageId, string? MessageType) Envelope(ReadOnlySpan<byte> body)
    {
        try
        {
            using var envelope = JsonDocument.Parse(body.ToArray());
            if (envelope.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var root = envelope.RootElement;
            var id = root.TryGetProperty("messageId", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var type = root.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array && types.GetArrayLength() > 0
                ? types[0].GetString()
                : null;
            return (id, type);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? Header(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => null,
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        } : null;

    private static DateTimeOffset? FailedAt(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private sealed record ManagementQueue(string Name, long? Messages);
}
