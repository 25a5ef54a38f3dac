-- Verification after merge and recurrence (issue 15, the verify stage). Numbered from 50: other work takes other
-- ranges. Portable SQL, as V1. Each step's outcome goes to remediation_verifications (V5); these tables hold what
-- verification waits for and what it escalated, so each escalation happens once.

-- One row per merged remediation under verification: the merge commit its fixgate/verify check run is on, when the
-- change was deployed (the deploy signal), the deadline, and what was said once (escalation, drift).
CREATE TABLE verify_tracks (
    remediation_id   BIGINT         NOT NULL PRIMARY KEY REFERENCES remediations (id),
    repo             VARCHAR(256)   NOT NULL,
    installation_id  BIGINT         NOT NULL,
    pull_number      INTEGER        NOT NULL,
    merge_sha        VARCHAR(64)    NOT NULL,
    merged_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    deadline_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    state            VARCHAR(16)    NOT NULL,   -- verifying | verified | escalated
    deployed_at      TIMESTAMP WITH TIME ZONE,  -- NULL until the deploy signal (or the configured delay)
    deploy_signal    VARCHAR(512)   DEFAULT '' NOT NULL,   -- what said so: deployment 12 to production (success) of <sha>
    check_run_id     BIGINT,                    -- the fixgate/verify check run on merge_sha
    summary          VARCHAR(4000)  DEFAULT '' NOT NULL,   -- the last run's verdict, one line per step
    verified_at      TIMESTAMP WITH TIME ZONE,
    escalated_at     TIMESTAMP WITH TIME ZONE,  -- not verified by the deadline: said once
    escalation_issue INTEGER,                   -- the issue opened for the owners
    drift_at         TIMESTAMP WITH TIME ZONE,  -- the code is fixed but the cloud is not: said once
    drift_detail     VARCHAR(2000)  DEFAULT '' NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX verify_tracks_repo ON verify_tracks (repo);
CREATE INDEX verify_tracks_state ON verify_tracks (state);

-- A problem fixgate fixed and verified that came back: the same finding reopened, or another resource failing the
-- same control in the same repository. Escalated once per verified fix and finding; the control's guardrail is asked
-- for then.
CREATE TABLE recurrences (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    remediation_id  BIGINT         NOT NULL REFERENCES remediations (id),   -- the verified fix
    fingerprint     CHAR(64)       NOT NULL,   -- the finding that came back (or the new one)
    kind            VARCHAR(16)    NOT NULL,   -- reopened | new_resource
    repo            VARCHAR(256)   NOT NULL,
    control_id      VARCHAR(300)   NOT NULL,
    playbook_id     VARCHAR(128)   NOT NULL,
    resource        VARCHAR(2048)  NOT NULL,   -- file:address in the repository
    detail          VARCHAR(2000)  NOT NULL,
    detected_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT recurrences_once UNIQUE (remediation_id, fingerprint)
);
CREATE INDEX recurrences_repo ON recurrences (repo);
