using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Turumba.Platform.Persistence;
using Turumba.Platform.Tenancy;

namespace Turumba.Platform.Api.Idempotency;

/// <summary>
/// Honours an <c>Idempotency-Key</c> header: the first request with a key runs inside a
/// transaction that also stores its response, so the entity, its outbox messages and the key
/// commit together; a repeat within 24 hours gets the stored response and creates nothing. A
/// concurrent repeat waits on the key's row and then replays. The same key with a different
/// request is a 422.
/// </summary>
public sealed class IdempotencyFilter : IEndpointFilter
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 255;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(key))
        {
            return await next(context);
        }

        if (key.Length > MaxKeyLength)
        {
            throw new BadRequestException($"{Header} may be at most {MaxKeyLength} characters long.");
        }

        var services = http.RequestServices;
        var db = services.GetRequiredService<TurumbaDbContext>();
        var accountId = services.GetRequiredService<ICurrentAccount>().RequiredAccountId;
        var fingerprint = await FingerprintAsync(http.Request);
        var cancellationToken = http.RequestAborted;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"delete from platform.idempotency_keys where account_id = {accountId} and key = {key} and created_at < {DateTimeOffset.UtcNow - Lifetime}",
            cancellationToken);
        var claimed = await db.Database.ExecuteSqlAsync(
            $"""
            insert into platform.idempotency_keys (account_id, key, fingerprint, status_code, created_at)
            values ({accountId}, {key}, {fingerprint}, 0, now()) on conflict do nothing
            """, cancellationToken);
        if (claimed == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return await ReplayAsync(db, accountId, key, fingerprint, cancellationToken);
        }

        var result = await next(context);
        var (status, location, body) = Describe(result, services);
        await db.Database.ExecuteSqlAsync(
            $"""
            update platform.idempotency_keys set status_code = {status}, location = {location}, body = {body}::jsonb
             where account_id = {accountId} and key = {key}
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<IResult> ReplayAsync(TurumbaDbContext db, Guid accountId, string key, byte[] fingerprint, CancellationToken cancellationToken)
    {
        var stored = await db.Set<IdempotencyRecord>().AsNoTracking()
            .FirstAsync(r => r.AccountId == accountId && r.Key == key, cancellationToken);
        if (!stored.Fingerprint.AsSpan().SequenceEqual(fingerprint))
        {
            throw RequestValidationException.For("idempotency_key",
                $"This {Header} was already used within the last 24 hours for a different request.");
        }

        return new ReplayedResult(stored.StatusCode, stored.Location, stored.Body);
    }

    private static (int Status, string? Location, string? Body) Describe(object? result, IServiceProvider services)
    {
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        // Created<T> and friends expose Location; the result's type argument varies, so ask by name.
        var location = result?.GetType().GetProperty("Location")?.GetValue(result) as string;
        var value = (result as IValueHttpResult)?.Value;
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        return (status, location, value is null ? null : JsonSerializer.Serialize(value, value.GetType(), json));
    }

    private static async Task<byte[]> FingerprintAsync(HttpRequest request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var buffer = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        return hash.GetHashAndReset();
    }

    /// <summary>The stored response, byte for byte, marked as a replay.</summary>
    private sealed class ReplayedResult(int status, string? location, string? body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            if (location is not null)
            {
                httpContext.Response.Headers.Location = location;
            }

            if (body is not null)
            {
                httpContext.Response.ContentType = "application/json; charset=utf-8";
                await httpContext.Response.WriteAsync(body, httpContext.RequestAborted);
            }
        }
    }
}

public static class IdempotencyFilterExtensions
{
    /// <summary>Lets the endpoint take an <c>Idempotency-Key</c> header (see <see cref="IdempotencyFilter"/>).</summary>
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<IdempotencyFilter>().WithMetadata(IdempotentEndpoint.Instance);
}

/// <summary>Endpoint metadata: the endpoint honours <c>Idempotency-Key</c> (the API description shows the header and the 409).</summary>
public sealed class IdempotentEndpoint
{
    public static readonly IdempotentEndpoint Instance = new();

    private IdempotentEndpoint()
    {
    }
}
