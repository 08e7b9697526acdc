using Turumba.Platform.Addresses;

namespace Turumba.UnitTests.Platform;

[TestFixture]
public sealed class E164Tests
{
    [TestCase("+251911234567", "+251911234567")]
    [TestCase("+251 91 123 4567", "+251911234567")]
    [TestCase(" +251-91-123-4567 ", "+251911234567")]
    [TestCase("00251911234567", "+251911234567")]
    [TestCase("+1 (415) 555-2671", "+14155552671")]
    [TestCase("+44 20 7946 0958", "+442079460958")]
    [TestCase("+15005550006", "+15005550006")]
    public void International_numbers_are_written_in_e164(string input, string expected)
    {
        Assert.That(E164.Normalize(input), Is.EqualTo(expected));
        // What the OpenAPI document promises of a stored phone number.
        Assert.That(expected, Does.Match(Turumba.Platform.Api.OpenApi.PhoneNumberSchemaTransformer.E164Pattern));
    }

    [TestCase("0911234567")]
    [TestCase("+0911234567")]
    [TestCase("+251 91 123 4567")]
    [TestCase("+2519112345678901")]
    public void The_documented_pattern_refuses_what_is_not_written_in_e164(string input) =>
        Assert.That(input, Does.Not.Match(Turumba.Platform.Api.OpenApi.PhoneNumberSchemaTransformer.E164Pattern));

    [TestCase("0911234567", Description = "national: no country code to read it in")]
    [TestCase("911234567")]
    [TestCase("+251 91")]
    [TestCase("+25191123456789012")]
    [TestCase("+999123456789", Description = "no such country code")]
    [TestCase("hello")]
    [TestCase("+")]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase(null)]
    public void What_cannot_be_a_phone_number_is_null(string? input) =>
        Assert.That(E164.Normalize(input), Is.Null);

    [TestCase("sms", "+251 911 234 567", "+251911234567")]
    [TestCase("whatsapp", "00251911234567", "+251911234567")]
    [TestCase("email", " Hana@Example.COM ", "hana@example.com")]
    [TestCase("telegram", " 5551234 ", "5551234")]
    [TestCase("all", "+251 911 234 567", "+251911234567")]
    [TestCase("all", "Hana@Example.com", "hana@example.com")]
    [TestCase("all", "5551234", "5551234")]
    public void Addresses_are_normalised_for_their_channel_type(string channelType, string address, string expected) =>
        Assert.That(DeliveryAddresses.Normalize(channelType, address), Is.EqualTo(expected));

    [TestCase("sms", "not a number")]
    [TestCase("smpp", "0911234567")]
    [TestCase("all", "+12")]
    public void A_phone_address_that_is_no_phone_number_is_null(string channelType, string address) =>
        Assert.That(DeliveryAddresses.Normalize(channelType, address), Is.Null);

    [Test]
    public void A_lookup_keeps_what_cannot_be_normalised() =>
        Assert.That(DeliveryAddresses.ForLookup("sms", " 0911 "), Is.EqualTo("0911"));
}
