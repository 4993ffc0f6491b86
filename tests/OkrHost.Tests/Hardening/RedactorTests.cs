using OkrHost.Security;

namespace OkrHost.Tests.Hardening;

/// <summary>The one redactor every output goes through, and that the history store and LLM prompts reuse.</summary>
public class RedactorTests
{
    [Fact]
    public void Configured_secrets_are_masked_in_the_forms_they_take_in_urls_html_and_json()
    {
        const string secret = "tok+en/with=chars<1>";
        var redactor = new Redactor();
        redactor.AddSecret(secret);

        Assert.Equal("a [redacted] b [redacted] c [redacted] d [redacted]", redactor.Redact(
            $"a {secret} b {Uri.EscapeDataString(secret)} c {System.Text.Encodings.Web.HtmlEncoder.Default.Encode(secret)} d {System.Text.Json.JsonSerializer.Serialize(secret).Trim('"')}"));
    }

    [Fact]
    public void Url_user_info_is_removed_and_its_password_masked_wherever_else_it_appears()
    {
        var redactor = new Redactor();
        redactor.AddUrl("https://okr:p%40ssw0rd-x@grafana.example.com/");

        Assert.Equal("GET https://grafana.example.com/api failed; password [redacted]",
            redactor.Redact("GET https://okr:p%40ssw0rd-x@grafana.example.com/api failed; password p@ssw0rd-x"));
        Assert.Equal("see http://example.com/", new Redactor().Redact("see http://someone:secret@example.com/"));
    }

    [Fact]
    public void Connection_string_passwords_are_masked_and_echoed_credentials_too()
    {
        var redactor = new Redactor();
        redactor.AddConnectionString("Host=db;Username=okr;Password=Pg-S3cret!;Database=history");

        Assert.Equal("auth failed for [redacted]", redactor.Redact("auth failed for Pg-S3cret!"));
        Assert.Equal("the server said: Bearer [redacted] is invalid", redactor.Redact("the server said: Bearer abcDEF0123456789xyz is invalid"));
        Assert.Equal("Bearer authentication is required", redactor.Redact("Bearer authentication is required"));
    }
}
