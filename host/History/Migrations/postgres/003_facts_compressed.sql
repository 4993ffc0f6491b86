-- A large organisation's facts are tens of megabytes of JSON a run; kept as text they made the store
-- grow by that much each week and cost the report process three copies in memory. They are now gzip-
-- compressed UTF-8 JSON, written and read as streams. Stored facts only spare requests, so the ones
-- kept as text are dropped rather than converted: each source collects cold once after the upgrade.
DELETE FROM source_facts;
ALTER TABLE source_facts DROP COLUMN facts_json;
ALTER TABLE source_facts ADD COLUMN facts_gzip bytea NOT NULL;
