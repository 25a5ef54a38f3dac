-- Ingest writes a findings row per new finding and rewrites it when a later record moves its state (issue 18: the
-- first ingest of a 1M-record file). Numbered from 80: other work takes other ranges. No query of fixgate reads
-- findings by control, by cloud and account or by state (every read is by fingerprint, or all rows: FindingStore,
-- InitiativeStore, the report's Snapshot), so these three indexes cost each insert three index entries and make
-- each state change a non-HOT update for nothing. Add an index back with the query that needs it.
DROP INDEX findings_control;
DROP INDEX findings_account;
DROP INDEX findings_state;
