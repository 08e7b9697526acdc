using System.Reflection;
using System.Text.RegularExpressions;
using Turumba.Channels;

namespace Turumba.UnitTests;

/// <summary>
/// Adding a provider is one folder: its name appears in the adapters and the simulator only
/// inside its own folder (<c>Adapters/Twilio/</c>, <c>Simulator/Twilio/</c>), never in a switch elsewhere.
/// </summary>
[TestFixture]
public sealed partial class ProviderFolderTests
{
    private static readonly string[] Projects = ["Turumba.Adapters", "Turumba.Simulator", "Turumba.Channels", "Turumba.Dispatch", "Turumba.Webhooks", "Turumba.Messaging"];

    [TestCaseSource(nameof(Providers))]
    public void A_provider_is_named_only_in_its_own_folders(string provider)
    {
        var folder = $"{Path.DirectorySeparatorChar}{provider}{Path.DirectorySeparatorChar}";
        var outside = Projects.SelectMany(RepositoryFiles.SourceOf)
            .Where(file => !file.Contains(folder, StringComparison.OrdinalIgnoreCase))
            .Where(file => Named(provider).IsMatch(Code(file)))
            .Select(file => Path.GetRelativePath(RepositoryFiles.Root, file))
            .ToList();

        Assert.That(outside, Is.Empty, $"{provider} is named outside its provider folders");
    }

    [Test]
    public void Every_adapter_lives_in_a_folder_named_after_its_provider()
    {
        var misplaced = AdapterTypes.Discover(typeof(Turumba.Adapters.AdaptersModule).Assembly).Types
            .Where(t => !t.Namespace!.EndsWith("." + Folder(t), StringComparison.Ordinal))
            .Select(t => t.FullName)
            .ToList();

        Assert.That(misplaced, Is.Empty);
    }

    // The file without comments, without the channel type of the same name (Telegram is a provider
    // and a channel type; dispatch queues are per type: ChannelTypes.Telegram, TelegramChannel), and
    // without another provider's wire names that happen to contain one (SendGrid, a Twilio company,
    // signs its event webhooks in X-Twilio-Email-Event-Webhook-* headers).
    private static string Code(string file) => string.Join('\n', File.ReadLines(file)
        .Select(line => line.IndexOf("//", StringComparison.Ordinal) is var comment and >= 0 ? line[..comment] : line)
        .Select(line => ChannelTypeName().Replace(line, string.Empty))
        .Select(line => ForeignWireName().Replace(line, string.Empty)));

    [GeneratedRegex(@"ChannelTypes\.\w+|\w+Channel\b")]
    private static partial Regex ChannelTypeName();

    [GeneratedRegex(@"X-Twilio-Email-Event-Webhook-")]
    private static partial Regex ForeignWireName();

    // The name as a word of an identifier or text (twilio, TwilioErrors, TWILIO_), not inside a longer
    // word: the provider "meta" must not match "Metadata".
    private static Regex Named(string provider)
    {
        var lower = provider.ToLowerInvariant();
        var upper = provider.ToUpperInvariant();
        var title = char.ToUpperInvariant(provider[0]) + lower[1..];
        return new Regex($"(?<![a-z]){lower}(?![a-z])|(?<![A-Z]){upper}(?![A-Z])|{title}(?![a-z])", RegexOptions.CultureInvariant);
    }

    // The folder of a provider is its name in title case (twilio → Twilio, jasmin → Jasmin).
    private static string Folder(Type adapter)
    {
        var provider = adapter.GetCustomAttribute<ChannelAdapterAttribute>()!.Provider;
        return char.ToUpperInvariant(provider[0]) + provider[1..];
    }

    private static IEnumerable<string> Providers() =>
        AdapterTypes.Discover(typeof(Turumba.Adapters.AdaptersModule).Assembly).Types
            .Select(t => t.GetCustomAttribute<ChannelAdapterAttribute>()!.Provider)
            .Distinct(StringComparer.Ordinal);
}
