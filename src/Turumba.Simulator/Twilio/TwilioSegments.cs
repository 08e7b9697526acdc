namespace Turumba.Simulator.Twilio;

/// <summary>How many SMS segments Twilio bills a body as: GSM-7 160/153 (extension characters count two), else UCS-2 70/67.</summary>
internal static class TwilioSegments
{
    private const string Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string Extension = "\f^{}\\[~]|€";

    public static int Count(string body)
    {
        var septets = 0;
        foreach (var c in body)
        {
            if (Basic.Contains(c, StringComparison.Ordinal))
            {
                septets++;
            }
            else if (Extension.Contains(c, StringComparison.Ordinal))
            {
                septets += 2;
            }
            else
            {
                return Segments(body.Length, 70, 67);
            }
        }

        return Segments(septets, 160, 153);
    }

    private static int Segments(int units, int single, int part) => units <= single ? 1 : (units + part - 1) / part;
}
