using Turumba.Simulator.Telegram;

#pragma warning disable IDE0130 // In the host's namespace, so simulator.Telegram needs no extra using.
namespace Turumba.Simulator;
#pragma warning restore IDE0130

public static class TelegramSimulatorAccess
{
    extension(SimulatorHost host)
    {
        public TelegramSimulator Telegram => host.Get<TelegramSimulator>();
    }
}
