using System.Net.Sockets;
using Npgsql;
using StackExchange.Redis;
using Turumba.Platform.Hosting;

namespace Turumba.UnitTests.Hosting;

[TestFixture]
public sealed class TransientFailuresTests
{
    public static IEnumerable<TestCaseData> Failures() =>
    [
        new TestCaseData(new NpgsqlException("Failed to connect", new SocketException(111)), true).SetName("connection refused"),
        new TestCaseData(new InvalidOperationException("wrapped", new TimeoutException()), true).SetName("a timeout inside"),
        new TestCaseData(new RedisException("timed out"), true).SetName("a Redis failure"),
        new TestCaseData(new PostgresException("duplicate", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation), false).SetName("a unique violation"),
        new TestCaseData(new PostgresException("shutdown", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown), true).SetName("admin shutdown"),
        new TestCaseData(new ArgumentException("same key"), false).SetName("an argument exception"),
        new TestCaseData(new AggregateException(new ArgumentException(), new IOException()), true).SetName("an aggregate holding an IO failure"),
    ];

    [TestCaseSource(nameof(Failures))]
    public void Infrastructure_failures_are_transient_and_the_works_own_are_not(Exception exception, bool transient) =>
        Assert.That(TransientFailures.Is(exception), Is.EqualTo(transient));
}
