-- PostgreSQL: the keys ingest compares millions of times per file — fingerprints, initiative ids, a sighting's tool
-- and source id — compared byte by byte (COLLATE "C") instead of by the database's locale. Equality is the same for
-- every deterministic collation, and the keys that are sorted on (fingerprints, initiative ids) are lowercase hex,
-- which sorts the same in every locale; only the cost changes: a locale comparison copies both values and calls
-- strcoll, and each btree insert or lookup makes dozens. Referencing and referenced columns change together.
ALTER TABLE finding_sightings ALTER COLUMN fingerprint TYPE CHAR(64) COLLATE "C",
    ALTER COLUMN source_tool TYPE VARCHAR(64) COLLATE "C", ALTER COLUMN source_id TYPE VARCHAR(1024) COLLATE "C";
ALTER TABLE initiative_findings ALTER COLUMN fingerprint TYPE CHAR(64) COLLATE "C",
    ALTER COLUMN initiative_id TYPE VARCHAR(40) COLLATE "C";
ALTER TABLE remediations ALTER COLUMN initiative_id TYPE VARCHAR(40) COLLATE "C";
ALTER TABLE findings ALTER COLUMN fingerprint TYPE CHAR(64) COLLATE "C";
ALTER TABLE initiatives ALTER COLUMN id TYPE VARCHAR(40) COLLATE "C";
