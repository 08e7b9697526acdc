using System.Collections.Concurrent;
using FluentValidation;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Turumba.Platform.Api.OpenApi;

/// <summary>
/// Phone numbers in the API's schemas (decision 44): a contact's <c>phone</c> is format <c>e164</c>
/// everywhere, and in answers (which only ever hold stored, normalised numbers) also has the E.164
/// pattern; a request may write it with spaces, dashes or a leading 00, which the endpoint normalises,
/// so a request schema says so instead of carrying a pattern it does not enforce. A
/// <c>delivery_address</c> is a phone number only on phone channels, so it says which form it takes
/// per channel type.
/// </summary>
internal sealed class PhoneNumberSchemaTransformer : IOpenApiSchemaTransformer
{
    /// <summary>A + and up to 15 digits, the first not 0 (ITU-T E.164).</summary>
    public const string E164Pattern = @"^\+[1-9][0-9]{1,14}$";

    public const string E164Format = "e164";

    private readonly ConcurrentDictionary<Type, bool> _validated = new();

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is not { } property || property.PropertyType != typeof(string))
        {
            return Task.CompletedTask;
        }

        var request = _validated.GetOrAdd(property.DeclaringType, type => HasValidator(context.ApplicationServices, type));
        if (property.Name == "phone")
        {
            schema.Format = E164Format;
            if (request)
            {
                schema.Description = "A phone number with its country code, stored in E.164 (+251911234567); spaces, dashes and a leading 00 are accepted and normalised, a number without a country code is a 422.";
            }
            else
            {
                schema.Pattern = E164Pattern;
                schema.Description = "The phone number in E.164 (+251911234567).";
            }
        }
        else if (property.Name == "delivery_address")
        {
            schema.Description = "Where the message goes, by channel type: sms, smpp and whatsapp a phone number in E.164 (+251911234567"
                + (request ? "; spaces, dashes and a leading 00 are normalised, a number without a country code is a 422" : string.Empty)
                + "), telegram a chat id, messenger a page-scoped id (PSID), email an address.";
        }

        return Task.CompletedTask;
    }

    private static bool HasValidator(IServiceProvider services, Type type)
    {
        using var scope = services.CreateScope();
        return scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(type)) is not null;
    }
}
