namespace OkrHost.History;

public enum HistoryFailure
{
    /// <summary>The config names a store that cannot be used as written (variable unset, bad connection string).</summary>
    NotConfigured,

    /// <summary>A read-only command found no store where the config points.</summary>
    NotFound,

    /// <summary>The store was written by a newer okrhost; this one refuses to touch it.</summary>
    NewerSchema,

    /// <summary>The store could not be opened, read or written (server down, file locked, not a database).</summary>
    Unavailable,

    /// <summary>The store's file is a database with damaged pages: a run would fail part-way, so none starts.</summary>
    Damaged,
}

/// <summary>A history store problem, with a message fit for the user (never a connection string).</summary>
public sealed class HistoryStoreException : Exception
{
    public HistoryStoreException(HistoryFailure failure, string message, Exception? innerException = null)
        : base(message, innerException) => Failure = failure;

    public HistoryFailure Failure { get; }
}
