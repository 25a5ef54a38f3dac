-- "One open remediation per initiative × repository × branch", enforced by the database: open_key is set while a
-- remediation is open (PLANNED, GATED, DELIVERED) and NULL once it is closed (MERGED, VERIFIED, FAILED, ABANDONED);
-- NULLs never collide, so closed rows are kept as history. (A partial unique index would say the same on
-- PostgreSQL; H2 has none, and this is portable.) Where two open rows exist already, the newest stays open.
ALTER TABLE remediations ADD COLUMN open_key VARCHAR(600);
UPDATE remediations SET open_key = initiative_id || '|' || repo || '|' || branch
WHERE id IN (SELECT MAX(id) FROM remediations WHERE status IN ('PLANNED', 'GATED', 'DELIVERED')
             GROUP BY initiative_id, repo, branch);
UPDATE remediations SET status = 'ABANDONED'
WHERE open_key IS NULL AND status IN ('PLANNED', 'GATED', 'DELIVERED');
ALTER TABLE remediations ADD CONSTRAINT remediations_one_open UNIQUE (open_key);
