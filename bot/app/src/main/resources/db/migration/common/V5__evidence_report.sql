-- Evidence for auditors (fixgate report): the instants MTTR is measured between, the repository of each gate
-- decision, verifications after merge and risk acceptances. Portable SQL, as V1.

-- When a remediation was delivered (pull request or issue opened) and merged. NULL until that step happens.
ALTER TABLE remediations ADD COLUMN delivered_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE remediations ADD COLUMN merged_at TIMESTAMP WITH TIME ZONE;
-- Rows written before this migration: a merged row was last updated by its merge and a delivered row by its
-- delivery, so updated_at is that step's instant. (A merged row's delivery instant is not known: it stays NULL.)
UPDATE remediations SET merged_at = updated_at WHERE status IN ('MERGED', 'VERIFIED') AND merged_at IS NULL;
UPDATE remediations SET delivered_at = updated_at WHERE status = 'DELIVERED' AND delivered_at IS NULL;

-- Which findings each remediation fixes (an initiative can be split over several pull requests and an issue, so
-- the initiative alone does not say). Rows written before this migration have none: the report reads their plan.
CREATE TABLE remediation_findings (
    remediation_id  BIGINT   NOT NULL REFERENCES remediations (id),
    fingerprint     CHAR(64) NOT NULL,
    PRIMARY KEY (remediation_id, fingerprint)
);
CREATE INDEX remediation_findings_fp ON remediation_findings (fingerprint);

-- The repository a decision was made in ('' for decisions recorded before this migration, and offline replays
-- without one), so a report can be cut per repository.
ALTER TABLE gate_decisions ADD COLUMN repo VARCHAR(256) DEFAULT '' NOT NULL;
CREATE INDEX gate_decisions_repo ON gate_decisions (repo);

-- A check after merge that the finding is gone (the verify stage). One row per check: a remediation can be
-- verified again (and escalated) later. Empty until the verify stage records here.
CREATE TABLE remediation_verifications (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    remediation_id  BIGINT        NOT NULL REFERENCES remediations (id),
    verified_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome         VARCHAR(16)   NOT NULL,   -- resolved | still_failing | inconclusive
    method          VARCHAR(128)  NOT NULL,   -- how it was checked, e.g. rescan:securityhub, api:aws
    detail          VARCHAR(2000) NOT NULL
);
CREATE INDEX remediation_verifications_remediation ON remediation_verifications (remediation_id);

-- Risk acceptances: a resource's finding deliberately left unfixed, with who accepted it, why and until when.
-- Filled today by the gate for repositories in detect mode and for configured exclusions (record_only
-- decisions); ChatOps `ignore` will add rows of kind `ignore` with the commenter and an expiry.
CREATE TABLE remediation_exceptions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            VARCHAR(16)   NOT NULL,   -- detect_mode | exclusion | ignore
    fingerprint     CHAR(64)      NOT NULL,   -- the finding accepted (not a foreign key: decisions replayed
                                              -- from files may concern findings this store never saw)
    initiative_id   VARCHAR(40)   NOT NULL,
    resource_key    VARCHAR(2048) NOT NULL,
    control_id      VARCHAR(300)  NOT NULL,
    repo            VARCHAR(256)  NOT NULL,
    accepted_by     VARCHAR(256)  NOT NULL,   -- a GitHub login, or the configuration that decided it
    reason          VARCHAR(2000) NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE, -- NULL: no expiry was set
    decision_id     BIGINT,                   -- the gate_decisions row it came from, NULL for ChatOps
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX remediation_exceptions_fp ON remediation_exceptions (fingerprint);
