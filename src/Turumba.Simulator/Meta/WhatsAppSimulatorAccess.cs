using Turumba.Simulator.Meta;

#pragma warning disable IDE0130 // In the host's namespace, so simulator.WhatsApp needs no extra using.
namespace Turumba.Simulator;
#pragma warning restore IDE0130

public static class WhatsAppSimulatorAccess
{
    extension(SimulatorHost host)
    {
        public WhatsAppSimulator WhatsApp => host.Get<WhatsAppSimulator>();
    }
}
