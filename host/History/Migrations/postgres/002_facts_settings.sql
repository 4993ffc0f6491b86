-- Incremental collection builds on a source's stored facts only when they were collected with the
-- same settings: a hash of the source's bound settings, base URL and plugin build. Facts stored
-- before this version have none and are never built on.
ALTER TABLE source_facts ADD COLUMN settings_fingerprint TEXT;
