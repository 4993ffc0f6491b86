-- Version 1 of the history store (PostgreSQL). JSON is kept as text so it reads back byte for byte.
CREATE TABLE runs (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    generated_at       timestamptz NOT NULL,
    period_from        timestamptz NOT NULL,
    period_to          timestamptz NOT NULL,
    title              text        NOT NULL,
    origin             text        NOT NULL,
    tool_version       text        NOT NULL,
    contracts_version  text        NOT NULL,
    config_fingerprint text,
    sources_ok         integer     NOT NULL,
    sources_total      integer     NOT NULL,
    snapshot_sha256    text        NOT NULL UNIQUE,
    snapshot_json      text        NOT NULL,
    stored_at          timestamptz NOT NULL
);
CREATE INDEX runs_by_period_end ON runs (period_to, generated_at);

CREATE TABLE metric_values (
    run_id      bigint           NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    metric_id   text             NOT NULL,
    source      text             NOT NULL,
    unit        text             NOT NULL,
    value       double precision,
    previous    double precision,
    sample_size integer,
    PRIMARY KEY (run_id, metric_id)
);
CREATE INDEX metric_values_by_metric ON metric_values (metric_id);

CREATE TABLE key_results (
    run_id      bigint           NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    position    integer          NOT NULL,
    objective   text             NOT NULL,
    key_result  text             NOT NULL,
    metric_id   text             NOT NULL,
    target      double precision NOT NULL,
    baseline    double precision,
    direction   text             NOT NULL,
    actual      double precision,
    progress    double precision,
    status      text             NOT NULL,
    PRIMARY KEY (run_id, position)
);

CREATE TABLE alerts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_key  text        NOT NULL,
    state      text        NOT NULL,
    run_id     bigint      REFERENCES runs (id) ON DELETE SET NULL,
    alerted_at timestamptz NOT NULL
);
CREATE INDEX alerts_by_key ON alerts (alert_key, id);

CREATE TABLE source_facts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id       bigint      NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    source_id    text        NOT NULL,
    fetch_from   timestamptz NOT NULL,
    fetch_to     timestamptz NOT NULL,
    collected_at timestamptz NOT NULL,
    facts_json   text        NOT NULL,
    UNIQUE (source_id, fetch_from, fetch_to)
);
