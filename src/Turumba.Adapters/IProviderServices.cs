using Microsoft.Extensions.DependencyInjection;

namespace Turumba.Adapters;

/// <summary>
/// What one provider's adapter needs registered besides itself (its options, its HTTP client).
/// One per provider folder, found at start-up like the adapters, so adding a provider edits no shared file.
/// </summary>
internal interface IProviderServices
{
    void AddServices(IServiceCollection services);
}
