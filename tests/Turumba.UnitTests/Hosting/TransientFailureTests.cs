using System.Net.Sockets;
using Npgsql;
using StackExchange.Redis;
using Turumba.Platform.Hosting;

namespace Turumba.UnitTests.Hosting;

[TestFixture]
public sealed class TransientFailureTests
{
    private static IEnumerable<TestCaseData> Transient()
    {
        yield return new TestCaseData(new NpgsqlException("connection refused")).SetName("Npgsql connection failure");
        yield return new TestCaseData(new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"))
            .SetName("admin shutdown (pg_terminate_backend)");
        yield return new TestCaseData(new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03")).SetName("starting up");
        yield return new TestCaseData(new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "no connection")).SetName("Redis down");
        yield return new TestCaseData(new RedisException("timeout", new TimeoutException())).SetName("Redis timeout");
        yield return new TestCaseData(new SocketException((int)SocketError.ConnectionRefused)).SetName("socket refused");
        yield return new TestCaseData(new InvalidOperationException("wrapped", new NpgsqlException("broken"))).SetName("wrapped Npgsql failure");
        yield return new TestCaseData(new AggregateException(new TimeoutException(), new NpgsqlException("x"))).SetName("all inner failures transient");
        yield return new TestCaseData(new NpgsqlException("Failed to connect", new SocketException(111))).SetName("connection refused");
        yield return new TestCaseData(new InvalidOperationException("wrapped", new TimeoutException())).SetName("a timeout inside");
        yield return new TestCaseData(new HttpRequestException("unreachable")).SetName("a dependency over HTTP unreachable");
    }

    private static IEnumerable<TestCaseData> Permanent()
    {
        yield return new TestCaseData(new PostgresException("relation does not exist", "ERROR", "ERROR", "42P01")).SetName("undefined table");
        yield return new TestCaseData(new PostgresException("invalid input syntax", "ERROR", "ERROR", "22P02")).SetName("data exception");
        yield return new TestCaseData(new InvalidOperationException("a bug")).SetName("plain bug");
        yield return new TestCaseData(new PostgresException("duplicate", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)).SetName("a unique violation");
        yield return new TestCaseData(new ArgumentException("a bug")).SetName("argument");
        yield return new TestCaseData(new AggregateException(new TimeoutException(), new ArgumentException("bug"))).SetName("a bug among timeouts");
    }

    [TestCaseSource(nameof(Transient))]
    public void Infrastructure_failures_are_transient(Exception exception) => Assert.That(TransientFailure.Is(exception), Is.True);

    [TestCaseSource(nameof(Permanent))]
    public void Bugs_and_schema_errors_are_not(Exception exception) => Assert.That(TransientFailure.Is(exception), Is.False);

    [Test]
    public void Backoff_doubles_up_to_its_cap_and_starts_over_after_a_reset()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        var waits = Enumerable.Range(0, 5).Select(_ => backoff.Next().TotalSeconds).ToList();
        backoff.Reset();

        Assert.Multiple(() =>
        {
            Assert.That(waits, Is.EqualTo(new[] { 1.0, 2, 4, 5, 5 }));
            Assert.That(backoff.Next(), Is.EqualTo(TimeSpan.FromSeconds(1)));
        });
    }
}
