using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Turumba.Platform.Api.OpenApi;

/// <summary>
/// Request bodies are records of nullable members so that a missing field is a 422 naming it, not a
/// 400; the schema generator therefore calls every member required and nullable. The validator is the
/// contract: a member is required (and not nullable) when it has an unconditional NotNull/NotEmpty
/// rule, and optional otherwise. Types without a validator (responses) keep the generated schema:
/// every member is always written, null where it has no value.
/// Also: <c>channel_type</c> members list the channel types.
/// </summary>
internal sealed class ValidatorSchemaTransformer : IOpenApiSchemaTransformer
{
    private readonly ConcurrentDictionary<Type, HashSet<string>?> _required = new();

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { Name: "channel_type" } && context.JsonTypeInfo.Type == typeof(string))
        {
            schema.Enum = ChannelTypes.All.Select(t => (JsonNode)JsonValue.Create(t)).ToList();
            return Task.CompletedTask;
        }

        if (context.JsonPropertyInfo is not null || schema.Properties is null)
        {
            return Task.CompletedTask;
        }

        var required = _required.GetOrAdd(context.JsonTypeInfo.Type, type => RequiredMembers(context.ApplicationServices, type));
        if (required is null)
        {
            return Task.CompletedTask;
        }

        schema.Required = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in context.JsonTypeInfo.Properties)
        {
            if (property.AttributeProvider is MemberInfo member && required.Contains(member.Name))
            {
                schema.Required.Add(property.Name);
                if (schema.Properties.TryGetValue(property.Name, out var value) && value is OpenApiSchema inline && inline.Type is { } kind)
                {
                    inline.Type = kind & ~JsonSchemaType.Null;
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The CLR member names the type's validator requires, or null when it has no validator.</summary>
    private static HashSet<string>? RequiredMembers(IServiceProvider services, Type type)
    {
        using var scope = services.CreateScope();
        if (scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(type)) is not IValidator validator)
        {
            return null;
        }

        return validator.CreateDescriptor().GetMembersWithValidators()
            .Where(member => !string.IsNullOrEmpty(member.Key)
                && member.Any(rule => rule.Validator is INotNullValidator or INotEmptyValidator && !rule.Options.HasCondition && !rule.Options.HasAsyncCondition))
            .Select(member => member.Key)
            .ToHashSet(StringComparer.Ordinal);
    }
}
