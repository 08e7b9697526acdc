using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Turumba.Simulator.Faults;

namespace Turumba.Simulator.Smtp;

/// <summary>The SMTP relay (its own ports) and its control API: the message log, session counts, faults.</summary>
internal sealed class SmtpEndpoints : ISimulatedProvider
{
    public string Summary => "SMTP relay on 127.0.0.1 (STARTTLS port and TLS port at /_sim/smtp), messages and faults at /_sim/smtp/*";

    public void AddServices(IServiceCollection services)
    {
        // Its own address (for SigningCertURL and SubscribeURL) is the server's, known once it listens.
        services.AddSingleton(sp => new SmtpSimulator(() =>
            sp.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5090"));
        services.AddHostedService<SmtpRelay>();
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/_sim/smtp");
        control.MapGet("/", (SmtpSimulator smtp) => Results.Json(new
        {
            host = "127.0.0.1",
            port = smtp.Port,
            tls_port = smtp.TlsPort,
            tls_certificate_sha256 = smtp.CertificateSha256,
            ses_topic_arn = smtp.Events.TopicArn,
            sns_certificate_url = smtp.Events.SigningCertUrl,
            sendgrid_public_key = smtp.Events.SendGridPublicKey,
        }));
        control.MapGet("/sns/certificate.pem", (SmtpSimulator smtp) => Results.Text(smtp.Events.SigningCertificatePem, "application/x-pem-file"));
        control.MapGet("/sns/confirm", (SmtpSimulator smtp, string? token) =>
            token is not null && smtp.Events.Confirm(token)
                ? Results.Text("<ConfirmSubscriptionResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ConfirmSubscriptionResult><SubscriptionArn>"
                    + $"{smtp.Events.TopicArn}:{Guid.NewGuid()}</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>", "text/xml")
                : Results.Text("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid token</Message></Error></ErrorResponse>", "text/xml", statusCode: 400));
        control.MapPut("/events", async (SmtpSimulator smtp, SmtpEventsRequest request, CancellationToken cancellationToken) =>
        {
            if (request.Username is not { Length: > 0 } user || request.Url is not { Length: > 0 } url || request.Provider is not (SmtpEventFeeds.Ses or SmtpEventFeeds.SendGrid))
            {
                return Results.BadRequest(new { error = "username, url and provider (ses or sendgrid) are required" });
            }

            var confirmation = await smtp.Events.SubscribeAsync(user, request.Provider, url, cancellationToken);
            return Results.Json(new { provider = request.Provider, confirmed = smtp.Events.IsConfirmed(user), confirmation_status = confirmation?.StatusCode });
        });
        control.MapGet("/events", (SmtpSimulator smtp) => Results.Json(smtp.Events.Posts));
        control.MapGet("/messages", (SmtpSimulator smtp, string? username) =>
            Results.Json(username is null ? smtp.Messages : smtp.MessagesBy(username)));
        control.MapGet("/sessions", (SmtpSimulator smtp) => Results.Json(new { total = smtp.Sessions, by_user = smtp.SessionsByUser }));
        control.MapDelete("/messages", (SmtpSimulator smtp) =>
        {
            smtp.Reset();
            return Results.NoContent();
        });
        control.MapPut("/faults", (SmtpSimulator smtp, SmtpFaultsRequest faults) =>
        {
            new FaultsRequest(faults.LatencyMs, faults.FailureRate, faults.FailNext, faults.RateLimitNext, null, faults.RejectTokens).ApplyTo(smtp.Faults);
            smtp.DropNext(faults.DropNext ?? 0);
            foreach (var (address, reply) in faults.RejectRecipients ?? [])
            {
                smtp.RejectRecipient(address, reply);
            }

            foreach (var (address, outcome) in faults.EventOutcomes ?? [])
            {
                smtp.Events.SetOutcome(address, outcome);
            }

            if (faults.TemporaryReply is { } temporary)
            {
                smtp.TemporaryReply = temporary;
            }

            if (faults.RateLimitReply is { } rate)
            {
                smtp.RateLimitReply = rate;
            }

            return Results.NoContent();
        });
    }

    /// <summary>
    /// The shared fault fields (reject_tokens are refused usernames; fail_next and rate_limit_next the
    /// next RCPTs answered with temporary_reply / rate_limit_reply) and the relay's own: reject_recipients
    /// (address → reply such as <c>550 5.1.1 No such user</c>), drop_next (sessions cut off at RCPT) and
    /// event_outcomes (address → <c>Permanent</c> / <c>Transient</c> bounce or <c>Complaint</c>, reported by the event feed after the relay accepted the mail).
    /// </summary>
    internal sealed record SmtpFaultsRequest(
        int? LatencyMs, double? FailureRate, int? FailNext, int? RateLimitNext, List<string>? RejectTokens,
        Dictionary<string, string>? RejectRecipients, int? DropNext, string? TemporaryReply, string? RateLimitReply,
        Dictionary<string, string>? EventOutcomes);

    /// <summary>PUT /_sim/smtp/events: send the events of mail relayed for <c>username</c> to <c>url</c> as <c>provider</c> (ses or sendgrid).</summary>
    internal sealed record SmtpEventsRequest(string? Username, string? Provider, string? Url);
}
