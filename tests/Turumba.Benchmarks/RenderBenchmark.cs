using System.Diagnostics;
using System.Globalization;
using Turumba.Contacts;
using Turumba.Messaging;

namespace Turumba.Benchmarks;

/// <summary>Template rendering as a group send does it: one compiled template, N contacts.</summary>
internal static class RenderBenchmark
{
    public static void Run(int contacts)
    {
        var template = CompiledTemplate.Compile("Selam {FIRST_NAME} {LAST_NAME}! Your {PLAN} plan renews on {RENEWAL_DATE} in {CITY}. Code: {CODE}");
        var custom = TemplateRenderer.CaseInsensitive(new Dictionary<string, string> { ["code"] = "TURUMBA-2026" });
        var defaults = TemplateRenderer.CaseInsensitive(new Dictionary<string, string> { ["PLAN"] = "basic" });
        var people = Enumerable.Range(0, contacts).Select(i => new DirectoryContact(
            Guid.CreateVersion7(), $"First{i}", $"Last{i}", $"+2519{i:D8}", null, new Dictionary<string, string>(),
            new Dictionary<string, string> { ["city"] = "Addis Ababa", ["renewal_date"] = "2026-12-31" }, null)).ToList();

        Render(template, custom, defaults, people.Take(10_000));
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var length = Render(template, custom, defaults, people);
        var elapsed = clock.Elapsed;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rendered {contacts} messages in {elapsed.TotalMilliseconds:F0} ms: {elapsed.TotalNanoseconds / contacts:F0} ns and {allocated / contacts} bytes allocated per message (text itself: {length * 2 / contacts + 22} bytes)"));
    }

    private static long Render(CompiledTemplate template, Dictionary<string, string> custom, Dictionary<string, string> defaults, IEnumerable<DirectoryContact> people)
    {
        long length = 0;
        foreach (var person in people)
        {
            length += TemplateRenderer.Render(template, FallbackStrategy.UseDefault, new RenderValues(custom, person, defaults)).Text!.Length;
        }

        return length;
    }
}
