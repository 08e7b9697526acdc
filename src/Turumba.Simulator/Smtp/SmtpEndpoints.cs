using Turumba.Simulator.Faults;

namespace Turumba.Simulator.Smtp;

/// <summary>The SMTP relay (its own ports) and its control API: the message log, session counts, faults.</summary>
internal sealed class SmtpEndpoints : ISimulatedProvider
{
    public string Summary => "SMTP relay on 127.0.0.1 (STARTTLS port and TLS port at /_sim/smtp), messages and faults at /_sim/smtp/*";

    public void AddServices(IServiceCollection services)
    {
        services.AddSingleton<SmtpSimulator>();
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
        }));
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
    /// (address → reply such as <c>550 5.1.1 No such user</c>) and drop_next (sessions cut off at RCPT).
    /// </summary>
    internal sealed record SmtpFaultsRequest(
        int? LatencyMs, double? FailureRate, int? FailNext, int? RateLimitNext, List<string>? RejectTokens,
        Dictionary<string, string>? RejectRecipients, int? DropNext, string? TemporaryReply, string? RateLimitReply);
}
