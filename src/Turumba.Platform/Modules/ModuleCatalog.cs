namespace Turumba.Platform.Modules;

/// <summary>The modules loaded by the host, in registration order.</summary>
public sealed class ModuleCatalog(IReadOnlyList<ITurumbaModule> modules)
{
    public IReadOnlyList<ITurumbaModule> Modules { get; } = modules;
}
