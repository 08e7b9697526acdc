using Turumba.Simulator.Meta;

#pragma warning disable IDE0130 // In the host's namespace, so simulator.Messenger needs no extra using.
namespace Turumba.Simulator;
#pragma warning restore IDE0130

public static class MessengerSimulatorAccess
{
    extension(SimulatorHost host)
    {
        public MessengerSimulator Messenger => host.Get<MessengerSimulator>();
    }
}
