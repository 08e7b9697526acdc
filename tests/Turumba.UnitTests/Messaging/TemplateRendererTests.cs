using Turumba.Contacts;
using Turumba.Messaging;
using Turumba.Platform.Api.Input;

namespace Turumba.UnitTests.Messaging;

[TestFixture]
public sealed class TemplateRendererTests
{
    private static readonly DirectoryContact Abebe = new(
        Guid.NewGuid(), "Abebe", "Kebede", "+251911234567", "abebe@example.com",
        new Dictionary<string, string> { ["telegram"] = "123" },
        new Dictionary<string, string> { ["city"] = "Addis Ababa", ["plan"] = "gold" },
        null);

    [Test]
    public void Compile_extracts_distinct_upper_cased_variables_in_order()
    {
        var template = CompiledTemplate.Compile("Hi {first_name} {LAST_NAME}, {First_Name}! {{not}} {1st} { SPACE } {open");

        Assert.That(template.Variables, Is.EqualTo(new[] { "FIRST_NAME", "LAST_NAME" }));
    }

    [Test]
    public void Values_resolve_custom_then_contact_fields_then_attributes_then_defaults()
    {
        var template = CompiledTemplate.Compile("{FIRST_NAME}|{PHONE}|{CITY}|{PLAN}|{CODE}|{GREETING}");
        var custom = TemplateRenderer.CaseInsensitive(new Dictionary<string, string> { ["plan"] = "custom plan" });
        var defaults = TemplateRenderer.CaseInsensitive(new Dictionary<string, string> { ["CODE"] = "X1", ["FIRST_NAME"] = "friend" });

        var result = TemplateRenderer.Render(template, FallbackStrategy.UseDefault, new RenderValues(custom, Abebe, defaults));

        Assert.That(result.Text, Is.EqualTo("Abebe|+251911234567|Addis Ababa|custom plan|X1|{GREETING}"));
        Assert.That(result.Missing, Is.EqualTo(new[] { "GREETING" }));
    }

    [Test]
    public void Keep_placeholder_leaves_the_original_spelling()
    {
        var result = TemplateRenderer.Render(CompiledTemplate.Compile("Dear {Title} {first_name}"), FallbackStrategy.KeepPlaceholder,
            new RenderValues(null, Abebe, null));

        Assert.Multiple(() =>
        {
            Assert.That(result.Text, Is.EqualTo("Dear {Title} Abebe"));
            Assert.That(result.Skipped, Is.False);
            Assert.That(result.Missing, Is.EqualTo(new[] { "TITLE" }));
        });
    }

    [Test]
    public void Defaults_are_ignored_unless_the_strategy_uses_them()
    {
        var defaults = TemplateRenderer.CaseInsensitive(new Dictionary<string, string> { ["TITLE"] = "Ato" });

        var result = TemplateRenderer.Render(CompiledTemplate.Compile("{TITLE}"), FallbackStrategy.KeepPlaceholder, new RenderValues(null, null, defaults));

        Assert.That(result.Text, Is.EqualTo("{TITLE}"));
    }

    [Test]
    public void Skip_contact_gives_no_text_when_a_value_is_missing()
    {
        var template = CompiledTemplate.Compile("Your code is {CODE}, {FIRST_NAME}");

        var skipped = TemplateRenderer.Render(template, FallbackStrategy.SkipContact, new RenderValues(null, Abebe, null));
        var sent = TemplateRenderer.Render(template, FallbackStrategy.SkipContact,
            new RenderValues(TemplateRenderer.CaseInsensitive(new Dictionary<string, string> { ["code"] = "42" }), Abebe, null));

        Assert.Multiple(() =>
        {
            Assert.That(skipped.Skipped, Is.True);
            Assert.That(skipped.Text, Is.Null);
            Assert.That(skipped.Missing, Is.EqualTo(new[] { "CODE" }));
            Assert.That(sent.Text, Is.EqualTo("Your code is 42, Abebe"));
        });
    }

    [Test]
    public void Missing_contact_field_falls_through_to_the_strategy()
    {
        var noName = Abebe with { FirstName = null };

        var result = TemplateRenderer.Render(CompiledTemplate.Compile("Hi {FIRST_NAME}"), FallbackStrategy.UseDefault,
            new RenderValues(null, noName, TemplateRenderer.CaseInsensitive(new Dictionary<string, string> { ["first_name"] = "there" })));

        Assert.That(result.Text, Is.EqualTo("Hi there"));
    }

    [TestCase("{{FIRST_NAME}}", "{FIRST_NAME}")]
    [TestCase("{{{FIRST_NAME}}}", "{Abebe}")]
    [TestCase("100% {not a var} }", "100% {not a var} }")]
    [TestCase("", "")]
    [TestCase("plain", "plain")]
    [TestCase("{FIRST_NAME}{LAST_NAME}", "AbebeKebede")]
    public void Escaping_and_literal_braces(string body, string expected)
    {
        var result = TemplateRenderer.Render(CompiledTemplate.Compile(body), FallbackStrategy.KeepPlaceholder, new RenderValues(null, Abebe, null));

        Assert.That(result.Text, Is.EqualTo(expected));
    }

    [Test]
    public void Delivery_address_prefers_the_channel_address_then_phone_or_email()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Abebe.AddressFor("telegram"), Is.EqualTo("123"));
            Assert.That(Abebe.AddressFor("sms"), Is.EqualTo("+251911234567"));
            Assert.That(Abebe.AddressFor("whatsapp"), Is.EqualTo("+251911234567"));
            Assert.That(Abebe.AddressFor("email"), Is.EqualTo("abebe@example.com"));
            Assert.That(Abebe.AddressFor("messenger"), Is.Null);
        });
    }

    [Test]
    public void Case_insensitive_values_refuse_keys_differing_only_in_case_by_name()
    {
        var refused = Assert.Throws<CaseCollisionException>(() => TemplateRenderer.CaseInsensitive(new Dictionary<string, string> { ["name"] = "a", ["NAME"] = "b" }));

        Assert.That(refused!.Message, Does.Contain("differ only in case (name, NAME)"));
    }
}
