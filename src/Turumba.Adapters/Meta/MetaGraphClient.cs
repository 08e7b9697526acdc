using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Turumba.Channels;

namespace Turumba.Adapters.Meta;

/// <summary>
/// Graph API calls for both Meta adapters: <c>{base}/{version}/{path}</c> with a bearer token and
/// JSON, an answer parsed as JSON, a failure turned into an adapter error by the caller's table.
/// </summary>
internal sealed class MetaGraphClient(IHttpClientFactory httpClients, IOptions<MetaOptions> options)
{
    public const string HttpClientName = "meta";
    public const string ApiVersion = "api_version";

    public MetaOptions Options => options.Value;

    public async Task<JsonElement> CallAsync(
        ChannelCredentials credentials, string accessToken, HttpMethod method, string path, JsonNode? body,
        Func<MetaGraphError, ChannelAdapterException> classify, CancellationToken cancellationToken)
    {
        var baseUrl = (credentials.BaseUrlOverride ?? options.Value.BaseUrl).ToString().TrimEnd('/');
        var version = credentials.Get(ApiVersion) ?? options.Value.ApiVersion;
        using var request = new HttpRequestMessage(method, $"{baseUrl}/{Uri.EscapeDataString(version)}/{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var http = httpClients.CreateClient(HttpClientName);
        http.Timeout = options.Value.Timeout;
        HttpResponseMessage response;
        string text;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderConnectionException($"The Graph API could not be reached: {ex.Message}", inner: ex);
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            throw new ProviderConnectionException("The Graph API did not answer in time.", inner: ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw classify(MetaGraphError.Read((int)response.StatusCode, text));
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new ProviderConnectionException($"The Graph API answered {(int)response.StatusCode} with a body that is not JSON: {ex.Message}");
            }
        }
    }
}
