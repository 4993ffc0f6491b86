namespace OkrHost.Http;

/// <summary>Where the conditional-request cache lives unless <c>--no-cache</c> turns it off.</summary>
public static class HttpCacheLocation
{
    /// <summary>
    /// <c>$XDG_CACHE_HOME/okrhost/http</c>, else <c>~/.cache/okrhost/http</c> (the XDG base-directory
    /// convention, which a relative <c>XDG_CACHE_HOME</c> does not satisfy).
    /// </summary>
    /// <param name="environment">Reads an environment variable (the CLI's view of the environment).</param>
    public static string Default(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var xdg = environment("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) && Path.IsPathFullyQualified(xdg)
            ? xdg
            : Path.Combine(HomeFolder(environment), ".cache");
        return Path.Combine(root, "okrhost", "http");
    }

    private static string HomeFolder(Func<string, string?> environment)
    {
        var home = environment("HOME");
        return !string.IsNullOrEmpty(home) ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
    }
}
