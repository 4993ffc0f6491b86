-- Version 1 of the history store (SQLite). Timestamps are UTC ISO-8601 text ("…Z"), which sorts in time order.
CREATE TABLE runs (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    generated_at       TEXT    NOT NULL,
    period_from        TEXT    NOT NULL,
    period_to          TEXT    NOT NULL,
    title              TEXT    NOT NULL,
    origin             TEXT    NOT NULL,
    tool_version       TEXT    NOT NULL,
    contracts_version  TEXT    NOT NULL,
    config_fingerprint TEXT,
    sources_ok         INTEGER NOT NULL,
    sources_total      INTEGER NOT NULL,
    snapshot_sha256    TEXT    NOT NULL UNIQUE,
    snapshot_json      TEXT    NOT NULL,
    stored_at          TEXT    NOT NULL
);
CREATE INDEX runs_by_period_end ON runs (period_to, generated_at);

CREATE TABLE metric_values (
    run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    metric_id   TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    unit        TEXT    NOT NULL,
    value       REAL,
    previous    REAL,
    sample_size INTEGER,
    PRIMARY KEY (run_id, metric_id)
);
CREATE INDEX metric_values_by_metric ON metric_values (metric_id);

CREATE TABLE key_results (
    run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    objective   TEXT    NOT NULL,
    key_result  TEXT    NOT NULL,
    metric_id   TEXT    NOT NULL,
    target      REAL    NOT NULL,
    baseline    REAL,
    direction   TEXT    NOT NULL,
    actual      REAL,
    progress    REAL,
    status      TEXT    NOT NULL,
    PRIMARY KEY (run_id, position)
);

CREATE TABLE alerts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_key  TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    run_id     INTEGER REFERENCES runs (id) ON DELETE SET NULL,
    alerted_at TEXT    NOT NULL
);
CREATE INDEX alerts_by_key ON alerts (alert_key, id);

CREATE TABLE source_facts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id       INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    source_id    TEXT    NOT NULL,
    fetch_from   TEXT    NOT NULL,
    fetch_to     TEXT    NOT NULL,
    collected_at TEXT    NOT NULL,
    facts_json   TEXT    NOT NULL,
    UNIQUE (source_id, fetch_from, fetch_to)
);
