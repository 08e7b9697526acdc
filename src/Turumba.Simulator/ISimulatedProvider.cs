namespace Turumba.Simulator;

/// <summary>
/// One simulated provider: its state as singletons, its API surface and its <c>/_sim/{provider}</c>
/// control API. One per provider folder, found at start-up, so adding a provider edits no shared file.
/// </summary>
internal interface ISimulatedProvider
{
    /// <summary>One line for the simulator's index page: where the API and its controls are.</summary>
    string Summary { get; }

    void AddServices(IServiceCollection services);

    void MapEndpoints(IEndpointRouteBuilder app);
}
