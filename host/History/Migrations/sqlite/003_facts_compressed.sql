-- A large organisation's facts are tens of megabytes of JSON a run; kept as text they made the store
-- grow by that much each week and cost the report process three copies in memory. They are now gzip-
-- compressed UTF-8 JSON, written and read as streams. Stored facts only spare requests, so the ones
-- kept as text are dropped rather than converted: each source collects cold once after the upgrade.
-- SQLite cannot change a column's type in place, hence the new table.
DROP TABLE source_facts;
CREATE TABLE source_facts (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id               INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    source_id            TEXT    NOT NULL,
    fetch_from           TEXT    NOT NULL,
    fetch_to             TEXT    NOT NULL,
    collected_at         TEXT    NOT NULL,
    facts_gzip           BLOB    NOT NULL,
    settings_fingerprint TEXT,
    UNIQUE (source_id, fetch_from, fetch_to)
);
