namespace Turumba.Platform.Hosting;

/// <summary>
/// A setting the host cannot start with (unknown role, missing connection string, …).
/// The host prints the message and exits with code 2.
/// </summary>
public sealed class StartupConfigurationException(string message) : Exception(message);
