using System.Globalization;
using System.Reflection;

namespace OkrHost.History;

/// <summary>One forward migration: the plain SQL script that takes a store to <c>Version</c>.</summary>
internal sealed record SchemaMigration(int Version, string Name, string Sql);

/// <summary>
/// The store's forward migrations, embedded in the host as <c>History/Migrations/&lt;dialect&gt;/NNN_name.sql</c>.
/// A new schema version is a new script per dialect; scripts are never edited once released.
/// </summary>
internal static class SchemaMigrations
{
    public static IReadOnlyList<SchemaMigration> For(string dialect)
    {
        var assembly = typeof(SchemaMigrations).Assembly;
        var prefix = $"history/{dialect}";
        var migrations = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Load(assembly, name, name[(prefix.Length + 1)..]))
            .OrderBy(m => m.Version)
            .ToArray();
        for (var i = 0; i < migrations.Length; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"history migrations for {dialect} skip or repeat version {i + 1}");
            }
        }

        return migrations;
    }

    /// <summary>The schema version this build writes: the same for every dialect.</summary>
    public static int Latest(string dialect) => For(dialect).Count;

    private static SchemaMigration Load(Assembly assembly, string resource, string fileName)
    {
        var number = fileName[..fileName.IndexOf('_', StringComparison.Ordinal)];
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new SchemaMigration(int.Parse(number, CultureInfo.InvariantCulture), fileName, reader.ReadToEnd());
    }
}
