using Turumba.Simulator.Smtp;

#pragma warning disable IDE0130 // In the host's namespace, so simulator.Smtp needs no extra using.
namespace Turumba.Simulator;
#pragma warning restore IDE0130

public static class SmtpSimulatorAccess
{
    extension(SimulatorHost host)
    {
        public SmtpSimulator Smtp => host.Get<SmtpSimulator>();
    }
}
