using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Turumba.Channels;

namespace Turumba.Webhooks.Receiving;

/// <summary>The webhook operation's signature headers and token parameters, from the adapters that declare them.</summary>
internal static class WebhookDocumentation
{
    public static Task AddAuthenticationParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var adapters = context.ApplicationServices.GetRequiredService<AdapterTypes>().Types;
        var declared = adapters
            .SelectMany(type => type.GetCustomAttributes<WebhookAuthenticationAttribute>().Select(auth => (Adapter: type.GetCustomAttribute<ChannelAdapterAttribute>()!, Auth: auth)))
            .GroupBy(d => (d.Auth.Name, d.Auth.InQuery));
        operation.Parameters ??= [];
        foreach (var group in declared.OrderBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var users = string.Join(", ", group.Select(d => $"{d.Adapter.ChannelType}/{d.Adapter.Provider}").Distinct(StringComparer.Ordinal));
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = group.Key.Name,
                In = group.Key.InQuery ? ParameterLocation.Query : ParameterLocation.Header,
                Description = $"{users}: {group.First().Auth.Description}",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        return Task.CompletedTask;
    }
}
