using System.Globalization;
using System.Text.Json.Nodes;

namespace OkrHost.Sandbox.Notion;

/// <summary>
/// What the Notion emulator serves: its databases by id. Tests may add, remove or replace databases
/// and pages after the sandbox has started (before the plugin runs).
/// </summary>
public sealed class NotionData
{
    private readonly Dictionary<Guid, NotionDatabase> _databases = [];
    private readonly Lock _gate = new();

    /// <summary>Adds or replaces a database.</summary>
    public void Put(NotionDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        lock (_gate)
        {
            _databases[Guid.Parse(database.Id)] = database;
        }
    }

    /// <summary>The database with <paramref name="id"/> (dashed or not), or null.</summary>
    public NotionDatabase? Find(string id)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return null;
        }

        lock (_gate)
        {
            return _databases.GetValueOrDefault(guid);
        }
    }

    /// <summary>The database with <paramref name="id"/>; throws when there is none.</summary>
    public NotionDatabase this[string id] => Find(id) ?? throw new KeyNotFoundException(id);
}

/// <summary>A Notion database: its schema (property name → type) and its pages (rows).</summary>
public sealed class NotionDatabase
{
    private readonly List<NotionPage> _pages = [];

    /// <summary>Creates an empty database.</summary>
    public NotionDatabase(string id, string title, IReadOnlyDictionary<string, string> schema)
    {
        Id = id;
        Title = title;
        Schema = schema;
    }

    /// <summary>Database id (dashed UUID).</summary>
    public string Id { get; }

    /// <summary>Title shown in Notion.</summary>
    public string Title { get; }

    /// <summary>Property name → property type (<c>title</c>, <c>rich_text</c>, <c>select</c>, …).</summary>
    public IReadOnlyDictionary<string, string> Schema { get; }

    /// <summary>
    /// Whether the integration was added to the database. When false, Notion answers 404
    /// <c>object_not_found</c> exactly as for a database that does not exist.
    /// </summary>
    public bool SharedWithIntegration { get; set; } = true;

    /// <summary>A copy of the pages, safe to enumerate while the emulator serves.</summary>
    public IReadOnlyList<NotionPage> Pages
    {
        get
        {
            lock (_pages)
            {
                return _pages.ToArray();
            }
        }
    }

    /// <summary>Adds pages.</summary>
    public void Add(params IEnumerable<NotionPage> pages)
    {
        lock (_pages)
        {
            _pages.AddRange(pages);
        }
    }

    /// <summary>Removes every page.</summary>
    public void Clear()
    {
        lock (_pages)
        {
            _pages.Clear();
        }
    }
}

/// <summary>
/// A page (database row). <see cref="Properties"/> maps a property name to its property value object
/// without the <c>id</c> (e.g. <c>{"type":"number","number":10}</c>); build them with
/// <see cref="NotionValue"/>.
/// </summary>
public sealed record NotionPage(string Id, DateTimeOffset CreatedTime, IReadOnlyDictionary<string, JsonObject> Properties)
{
    /// <summary>Last edit; defaults to the creation time.</summary>
    public DateTimeOffset? LastEditedTime { get; init; }

    /// <summary>Archived (deleted) pages still come back from a query in this emulator; clients must skip them.</summary>
    public bool Archived { get; init; }

    /// <summary>In the trash.</summary>
    public bool InTrash { get; init; }

    /// <summary>The page's notion.so address, built from its title and id.</summary>
    public string Url
    {
        get
        {
            var title = Properties.Values.FirstOrDefault(v => (string?)v["type"] == "title") is { } t ? NotionValue.PlainText(t) : "";
            var slug = string.Join('-', title.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray()))
                .Where(w => w.Length > 0));
            return $"https://www.notion.so/{(slug.Length > 0 ? slug + "-" : "")}{Id.Replace("-", "", StringComparison.Ordinal)}";
        }
    }
}

/// <summary>Property value objects in the shapes of Notion API version 2022-06-28.</summary>
public static class NotionValue
{
    private static readonly string[] Colors = ["default", "gray", "brown", "orange", "yellow", "green", "blue", "purple", "pink", "red"];

    /// <summary>A <c>title</c> value.</summary>
    public static JsonObject Title(string text) => new() { ["type"] = "title", ["title"] = RichTextArray(text) };

    /// <summary>A <c>rich_text</c> value (empty text gives an empty array, as Notion does).</summary>
    public static JsonObject RichText(string text) => new() { ["type"] = "rich_text", ["rich_text"] = RichTextArray(text) };

    /// <summary>A <c>select</c> value; <c>null</c> for an empty select.</summary>
    public static JsonObject Select(string? name) => new()
    {
        ["type"] = "select",
        ["select"] = name is null ? null : new JsonObject
        {
            ["id"] = ShortId(name),
            ["name"] = name,
            ["color"] = Colors[(int)((uint)StableHash(name) % Colors.Length)],
        },
    };

    /// <summary>A <c>number</c> value; <c>null</c> for an empty number.</summary>
    public static JsonObject Number(double? value) => new() { ["type"] = "number", ["number"] = value };

    /// <summary>A <c>people</c> value listing workspace members by name.</summary>
    public static JsonObject People(params IEnumerable<string> names) => new()
    {
        ["type"] = "people",
        ["people"] = new JsonArray(names.Select(name => (JsonNode)new JsonObject
        {
            ["object"] = "user",
            ["id"] = UuidFrom("user:" + name),
            ["name"] = name,
            ["avatar_url"] = null,
            ["type"] = "person",
            ["person"] = new JsonObject { ["email"] = name.ToLowerInvariant().Replace(' ', '.') + "@acme.example" },
        }).ToArray()),
    };

    /// <summary>A <c>date</c> value holding one day.</summary>
    public static JsonObject Date(DateOnly day) => new()
    {
        ["type"] = "date",
        ["date"] = new JsonObject { ["start"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["end"] = null, ["time_zone"] = null },
    };

    /// <summary>The plain text of a title or rich_text value.</summary>
    public static string PlainText(JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value[(string)value["type"]!] is JsonArray parts
            ? string.Concat(parts.Select(p => (string?)p?["plain_text"]))
            : "";
    }

    /// <summary>A deterministic dashed UUID for a name, the way the emulator ids everything.</summary>
    public static string UuidFrom(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var bytes = new byte[16];
        var hash = 1469598103934665603UL;
        for (var i = 0; i < 16; i++)
        {
            foreach (var c in name)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            hash = (hash ^ (ulong)i) * 1099511628211UL;
            bytes[i] = (byte)(hash >> 24);
        }

        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }

    /// <summary>A short url-encoded property or option id like Notion's (<c>%3AUPp</c>).</summary>
    internal static string ShortId(string name)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var hash = (uint)StableHash(name);
        var chars = new char[4];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[(int)(hash % (uint)alphabet.Length)];
            hash /= (uint)alphabet.Length;
        }

        return "%3A" + new string(chars);
    }

    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return unchecked((int)hash);
    }

    private static JsonArray RichTextArray(string text) => text.Length == 0
        ? []
        : new JsonArray(new JsonObject
        {
            ["type"] = "text",
            ["text"] = new JsonObject { ["content"] = text, ["link"] = null },
            ["annotations"] = new JsonObject
            {
                ["bold"] = false, ["italic"] = false, ["strikethrough"] = false,
                ["underline"] = false, ["code"] = false, ["color"] = "default",
            },
            ["plain_text"] = text,
            ["href"] = null,
        });
}
