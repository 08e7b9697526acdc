using Microsoft.Extensions.Logging;
using Turumba.Platform.Hosting;

namespace Turumba.UnitTests.Hosting;

[TestFixture]
public sealed class OutageLogTests
{
    [Test]
    public void An_outage_is_logged_once_when_it_starts_and_once_when_it_ends()
    {
        var logger = new ListLogger();
        var outage = new OutageLog(logger, "Progress");
        for (var i = 0; i < 50; i++)
        {
            outage.Failed(new TimeoutException("down"), TimeSpan.FromSeconds(1), TimeProvider.System);
        }

        var inOutage = outage.InOutage;
        outage.Succeeded(TimeProvider.System);
        outage.Succeeded(TimeProvider.System);

        Assert.Multiple(() =>
        {
            Assert.That(inOutage, Is.True);
            Assert.That(outage.InOutage, Is.False);
            Assert.That(logger.Entries.Count(e => e.Level == LogLevel.Error), Is.EqualTo(1));
            Assert.That(logger.Entries.Count(e => e.Level == LogLevel.Debug), Is.EqualTo(49));
            Assert.That(logger.Entries.Single(e => e.Level == LogLevel.Warning).Message, Does.Contain("50 failed attempts"));
        });
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
