using Turumba.Simulator.Jasmin;

#pragma warning disable IDE0130 // In the host's namespace, so simulator.Jasmin needs no extra using.
namespace Turumba.Simulator;
#pragma warning restore IDE0130

public static class JasminSimulatorAccess
{
    extension(SimulatorHost host)
    {
        public JasminSimulator Jasmin => host.Get<JasminSimulator>();
    }
}
