using Turumba.Channels;
using Turumba.Dispatch.Sending;
using Turumba.Messaging;

namespace Turumba.UnitTests.Dispatch;

/// <summary>What a provider call's result means for its message, and a round's results for its channel.</summary>
[TestFixture]
public sealed class SendPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 19, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(2);

    private static readonly MessageForDispatch Message = new(
        Guid.Parse("0193a0f0-0000-7000-8000-000000000001"), Now.AddMinutes(-1), Guid.NewGuid(), Guid.NewGuid(), null, "42", "hello",
        new Dictionary<string, string>());

    [Test]
    public void A_send_that_went_through_is_recorded_sent_with_the_providers_id()
    {
        var decision = SendPolicy.Decide(Message, 2, new SendResult("tg-7", null), retryCount: 3, BaseDelay, Now);

        Assert.That(decision.Outcome, Is.EqualTo(DispatchOutcome.Sent(Message, "tg-7", 2, Now)));
    }

    [TestCase(1, 2)]
    [TestCase(2, 4)]
    [TestCase(3, 8)]
    public void A_transient_failure_is_retried_doubling_the_wait_while_attempts_remain(int attempts, int seconds)
    {
        var decision = SendPolicy.Decide(Message, attempts, Failure(new ProviderConnectionException("502 from the provider")), retryCount: 3, BaseDelay, Now);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.Null);
            Assert.That(decision.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
            Assert.That(decision.CountsAsAttempt, Is.True);
        });
    }

    [Test]
    public void A_transient_failure_past_the_retry_count_fails_permanently_with_the_providers_code_or_provider_unavailable()
    {
        var coded = SendPolicy.Decide(Message, 4, Failure(new ProviderConnectionException("down", "503")), retryCount: 3, BaseDelay, Now);
        var timedOut = SendPolicy.Decide(Message, 1, Failure(new TaskCanceledException("timed out")), retryCount: 0, BaseDelay, Now);

        Assert.Multiple(() =>
        {
            Assert.That(coded.Outcome, Is.EqualTo(DispatchOutcome.Failed(Message, MessageStatus.PermanentlyFailed, 4, "503", "down", Now)));
            Assert.That(timedOut.Outcome?.Status, Is.EqualTo(MessageStatus.PermanentlyFailed));
            Assert.That(timedOut.Outcome?.ErrorCode, Is.EqualTo("provider_unavailable"));
        });
    }

    [Test]
    public void An_auth_or_payload_error_fails_at_once_whatever_attempts_remain()
    {
        var auth = SendPolicy.Decide(Message, 1, Failure(new ProviderAuthException("Unauthorized", "401")), retryCount: 3, BaseDelay, Now);
        var payload = SendPolicy.Decide(Message, 1, Failure(new InvalidPayloadException("chat not found", "400")), retryCount: 3, BaseDelay, Now);
        var uncoded = SendPolicy.Decide(Message, 1, Failure(new InvalidPayloadException("too long")), retryCount: 3, BaseDelay, Now);

        Assert.Multiple(() =>
        {
            Assert.That(auth.Outcome, Is.EqualTo(DispatchOutcome.Failed(Message, MessageStatus.Failed, 1, "auth_error", "Unauthorized", Now)));
            Assert.That(payload.Outcome, Is.EqualTo(DispatchOutcome.Failed(Message, MessageStatus.Failed, 1, "400", "chat not found", Now)));
            Assert.That(uncoded.Outcome?.ErrorCode, Is.EqualTo("invalid_payload"));
        });
    }

    [Test]
    public void A_provider_429_is_waited_out_without_counting_as_an_attempt_even_on_the_last_one()
    {
        var decision = SendPolicy.Decide(Message, 4, Failure(new ProviderRateLimitException("slow down", TimeSpan.FromSeconds(5))), retryCount: 3, BaseDelay, Now);

        Assert.That(decision, Is.EqualTo(SendDecision.WaitOutPause));
    }

    [Test]
    public void A_round_of_429s_pauses_the_channel_for_the_longest_wait_asked_and_rate_limits_it()
    {
        var verdict = SendPolicy.ForChannel(ChannelStatus.Connected,
        [
            Failure(new ProviderRateLimitException("slow down", TimeSpan.FromSeconds(5))),
            Failure(new ProviderRateLimitException("slow down", TimeSpan.FromSeconds(30))),
            new SendResult("tg-1", null),
        ]);

        Assert.That(verdict, Is.EqualTo(new ChannelVerdict(TimeSpan.FromSeconds(30), ChannelStatus.RateLimited, "The provider asked to wait 30 s.")));
    }

    [Test]
    public void A_refused_token_puts_the_channel_in_error_with_the_providers_reason_even_when_it_was_also_paused()
    {
        var verdict = SendPolicy.ForChannel(ChannelStatus.Connected,
        [
            Failure(new ProviderRateLimitException("slow down", TimeSpan.FromSeconds(5))),
            Failure(new ProviderAuthException("Unauthorized: token revoked")),
        ]);

        Assert.That(verdict, Is.EqualTo(new ChannelVerdict(TimeSpan.FromSeconds(5), ChannelStatus.Error, "Unauthorized: token revoked")));
    }

    [TestCase(ChannelStatus.RateLimited)]
    [TestCase(ChannelStatus.Error)]
    public void A_send_that_went_through_connects_a_channel_marked_otherwise(ChannelStatus marked) =>
        Assert.That(SendPolicy.ForChannel(marked, [Failure(new ProviderConnectionException("502")), new SendResult("tg-1", null)]),
            Is.EqualTo(new ChannelVerdict(null, ChannelStatus.Connected, null)));

    [TestCase(ChannelStatus.Connected)]
    [TestCase(ChannelStatus.Disconnected)]
    public void Ordinary_results_leave_the_status_alone(ChannelStatus marked) =>
        Assert.That(SendPolicy.ForChannel(marked, [Failure(new ProviderConnectionException("502")), new SendResult("tg-1", null)]),
            Is.EqualTo(new ChannelVerdict(null, null, null)));

    [Test]
    public void Failures_alone_do_not_connect_a_rate_limited_channel() =>
        Assert.That(SendPolicy.ForChannel(ChannelStatus.RateLimited, [Failure(new ProviderConnectionException("502"))]).NewStatus, Is.Null);

    private static SendResult Failure(Exception error) => new(null, error);
}
