using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Refit;
using Turumba.Contacts.Directory.AccountApi;
using Turumba.Platform.Api;

namespace Turumba.Contacts.Directory;

internal static class ContactDirectoryRegistration
{
    public static void AddContactDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ContactDirectoryOptions>().BindConfiguration(ContactDirectoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(ContactDirectoryOptions.Section).Get<ContactDirectoryOptions>() ?? new ContactDirectoryOptions();
        if (!options.UsesAccountApi)
        {
            services.AddSingleton<IContactDirectory, LocalContactDirectory>();
            return;
        }

        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiServiceCollectionExtensions.ConfigureJson(json);
        json.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip;
        services.AddRefitGeneratedClient<IAccountApi>(new RefitSettings { ContentSerializer = new SystemTextJsonContentSerializer(json) })
            .ConfigureHttpClient((sp, http) =>
            {
                var api = sp.GetRequiredService<IOptions<ContactDirectoryOptions>>().Value.AccountApi;
                http.BaseAddress = new Uri(api.BaseUrl!);
                http.Timeout = api.Timeout;
                if (!string.IsNullOrEmpty(api.ApiKey))
                {
                    http.DefaultRequestHeaders.Add("X-Api-Key", api.ApiKey);
                }
            });
        services.AddTransient<IContactDirectory, AccountApiContactDirectory>();
    }
}
