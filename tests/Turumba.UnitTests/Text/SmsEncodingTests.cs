using Turumba.Platform.Text;

namespace Turumba.UnitTests.Text;

[TestFixture]
public sealed class SmsEncodingTests
{
    private static readonly object[] Cases =
    [
        new object[] { string.Empty, "GSM-7", 1, 0 },
        new object[] { "Hello", "GSM-7", 1, 5 },
        new object[] { new string('a', 160), "GSM-7", 1, 160 },
        new object[] { new string('a', 161), "GSM-7", 2, 161 },
        new object[] { new string('a', 306), "GSM-7", 2, 306 },
        new object[] { new string('a', 307), "GSM-7", 3, 307 },
        new object[] { "Price: 5€", "GSM-7", 1, 10 },
        new object[] { new string('a', 159) + "€", "GSM-7", 2, 161 },
        new object[] { "{[~^|\\]}", "GSM-7", 1, 16 },
        new object[] { "Ça coûte 5 £ à Zürich", "UCS-2", 1, 21 },
        new object[] { "Grüße aus Köln, Ñoño", "GSM-7", 1, 20 },
        new object[] { "Ñandú", "UCS-2", 1, 5 },
        new object[] { "Thanks 👍", "UCS-2", 1, 9 },
        new object[] { "ሰላም ለዓለም", "UCS-2", 1, 8 },
        new object[] { new string('ሰ', 70), "UCS-2", 1, 70 },
        new object[] { new string('ሰ', 71), "UCS-2", 2, 71 },
        new object[] { new string('ሰ', 134), "UCS-2", 2, 134 },
        new object[] { new string('ሰ', 135), "UCS-2", 3, 135 },
    ];

    [TestCaseSource(nameof(Cases))]
    public void Measures_encoding_segments_and_units(string text, string encoding, int segments, int units) =>
        Assert.That(SmsEncoding.Measure(text), Is.EqualTo(new SmsSegments(encoding, segments, units)));

    [Test]
    public void A_two_septet_character_is_not_split_across_parts()
    {
        // 152 septets, then € (2) would straddle the 153-septet boundary: it starts the second part.
        var text = new string('a', 152) + "€" + new string('a', 152);

        Assert.That(SmsEncoding.Measure(text).Segments, Is.EqualTo(3));
    }

    [Test]
    public void A_surrogate_pair_is_not_split_across_parts()
    {
        var text = new string('ሰ', 66) + "👍" + new string('ሰ', 66);

        Assert.That(SmsEncoding.Measure(text).Segments, Is.EqualTo(3));
    }
}
