using Turumba.Simulator.Twilio;

#pragma warning disable IDE0130 // In the host's namespace, so simulator.Twilio needs no extra using.
namespace Turumba.Simulator;
#pragma warning restore IDE0130

public static class TwilioSimulatorAccess
{
    extension(SimulatorHost host)
    {
        public TwilioSimulator Twilio => host.Get<TwilioSimulator>();
    }
}
