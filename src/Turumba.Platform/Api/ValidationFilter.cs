using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Turumba.Platform.Api;

/// <summary>Validates the <typeparamref name="T"/> argument of an endpoint; failures become a 422 envelope.</summary>
public sealed class ValidationFilter<T> : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var validator = context.HttpContext.RequestServices.GetService<IValidator<T>>();
        var argument = context.Arguments.OfType<T>().FirstOrDefault();
        if (argument is null)
        {
            throw new BadRequestException("The request body is missing.");
        }

        if (validator is not null)
        {
            var result = await validator.ValidateAsync(argument, context.HttpContext.RequestAborted);
            if (!result.IsValid)
            {
                throw new RequestValidationException(
                    result.Errors.Select(e => new FieldError(ToFieldName(e.PropertyName), e.ErrorMessage)).ToList());
            }
        }

        return await next(context);
    }

    private static string ToFieldName(string propertyName) => FieldNames.FromProperty(propertyName);
}

/// <summary>A validator's property name as the API names the field.</summary>
public static class FieldNames
{
    // "Addresses[telegram]" stays readable; "FirstName" becomes "first_name" as in the JSON.
    public static string FromProperty(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p)));
}

public static class ValidationFilterExtensions
{
    public static RouteHandlerBuilder Validate<T>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<T>>()
            .Produces<ApiErrorResponse>(StatusCodes.Status422UnprocessableEntity);
}
