-- fixgate's state. Portable SQL that runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL 15+;
-- ${text} is CLOB on H2 and TEXT on PostgreSQL. Dialect-specific objects live in db/migration/<dialect>.
-- Timestamps are UTC instants (TIMESTAMP WITH TIME ZONE); "not set" is NULL only in columns documented so.

-- One row per misconfiguration (fingerprint = sha256(canonical control, canonical resource)).
CREATE TABLE findings (
    fingerprint     CHAR(64)      NOT NULL PRIMARY KEY,
    control_id      VARCHAR(300)  NOT NULL,
    resource_key    VARCHAR(2048) NOT NULL,
    resource_kind   VARCHAR(8)    NOT NULL,   -- cloud | code
    cloud           VARCHAR(16)   NOT NULL,
    account         VARCHAR(128)  NOT NULL,   -- account / subscription / project; for code: owner/repo
    region          VARCHAR(64)   NOT NULL,
    resource_type   VARCHAR(256)  NOT NULL,
    resource_id     VARCHAR(2048) NOT NULL,   -- ARN / Azure id / GCP name; for code: the file path
    code_address    VARCHAR(1024) NOT NULL,   -- for code: Terraform address or CFN logical id, else ''
    code_line       INTEGER       NOT NULL,   -- for code: the line the scanner pointed at, else 0
    severity        VARCHAR(16)   NOT NULL,
    state           VARCHAR(16)   NOT NULL,   -- NEW | OPEN | RESOLVED | REOPENED
    title           VARCHAR(1024) NOT NULL,
    first_seen      TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen       TIMESTAMP WITH TIME ZONE NOT NULL,
    state_changed   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX findings_control ON findings (control_id);
CREATE INDEX findings_account ON findings (cloud, account);
CREATE INDEX findings_state ON findings (state);

-- Each tool record that reported a finding: the same finding from two tools or two scans is one finding
-- with several sightings. raw_* point back at the source record.
CREATE TABLE finding_sightings (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fingerprint       CHAR(64)      NOT NULL REFERENCES findings (fingerprint),
    source_tool       VARCHAR(64)   NOT NULL,
    source_id         VARCHAR(1024) NOT NULL,
    source_control_id VARCHAR(300)  NOT NULL,
    source_severity   VARCHAR(64)   NOT NULL,
    active            BOOLEAN       NOT NULL,
    raw_source        VARCHAR(1024) NOT NULL,
    raw_line          BIGINT        NOT NULL,
    raw_pointer       VARCHAR(1024) NOT NULL,
    first_seen        TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT sightings_unique UNIQUE (source_tool, source_id, fingerprint)
);
CREATE INDEX sightings_fingerprint ON finding_sightings (fingerprint);

-- Findings grouped into one unit of work (one PR or one issue).
CREATE TABLE initiatives (
    id          VARCHAR(40)   NOT NULL PRIMARY KEY,
    control_id  VARCHAR(300)  NOT NULL,
    scope       VARCHAR(1024) NOT NULL,
    severity    VARCHAR(16)   NOT NULL,
    status      VARCHAR(16)   NOT NULL,   -- OPEN | IN_PROGRESS | DONE | DISMISSED
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX initiatives_control ON initiatives (control_id);

CREATE TABLE initiative_findings (
    initiative_id VARCHAR(40) NOT NULL REFERENCES initiatives (id),
    fingerprint   CHAR(64)    NOT NULL REFERENCES findings (fingerprint),
    PRIMARY KEY (initiative_id, fingerprint)
);
CREATE INDEX initiative_findings_fp ON initiative_findings (fingerprint);

-- One attempt to fix an initiative: the plan, the assessment, and where it was delivered.
-- pull_number / issue_number / merged_sha are NULL until that step happens.
CREATE TABLE remediations (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    initiative_id   VARCHAR(40)  NOT NULL REFERENCES initiatives (id),
    status          VARCHAR(24)  NOT NULL,   -- PLANNED | GATED | DELIVERED | MERGED | VERIFIED | FAILED | ABANDONED
    playbook_id     VARCHAR(200) NOT NULL,
    rci_level       VARCHAR(8)   NOT NULL,
    rci_confidence  DOUBLE PRECISION NOT NULL,
    repo            VARCHAR(256) NOT NULL,
    branch          VARCHAR(256) NOT NULL,
    pull_number     INTEGER,
    issue_number    INTEGER,
    merged_sha      CHAR(40),
    plan            ${text}      NOT NULL,   -- JSON
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX remediations_initiative ON remediations (initiative_id);
CREATE INDEX remediations_pull ON remediations (repo, pull_number);

-- Webhook deliveries seen, keyed by X-GitHub-Delivery: a redelivery is recognised and not processed twice.
CREATE TABLE webhook_deliveries (
    delivery_id     VARCHAR(64)   NOT NULL PRIMARY KEY,
    event           VARCHAR(64)   NOT NULL,
    action          VARCHAR(64)   NOT NULL,
    installation_id BIGINT        NOT NULL,
    repository      VARCHAR(256)  NOT NULL,
    payload_sha256  CHAR(64)      NOT NULL,
    status          VARCHAR(16)   NOT NULL,   -- RECEIVED | PROCESSED | FAILED | IGNORED
    error           VARCHAR(2000) NOT NULL,
    received_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    processed_at    TIMESTAMP WITH TIME ZONE
);

-- Durable work queue. dedupe_key is unique while a job is pending; it is cleared when the job ends so the
-- same work can be queued again later. locked_by/locked_at are NULL unless RUNNING.
CREATE TABLE jobs (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          VARCHAR(64)   NOT NULL,
    payload       ${text}       NOT NULL,
    dedupe_key    VARCHAR(300),
    status        VARCHAR(16)   NOT NULL,   -- QUEUED | RUNNING | DONE | DEAD
    attempts      INTEGER       NOT NULL,
    max_attempts  INTEGER       NOT NULL,
    run_after     TIMESTAMP WITH TIME ZONE NOT NULL,
    locked_by     VARCHAR(128),
    locked_at     TIMESTAMP WITH TIME ZONE,
    last_error    VARCHAR(2000) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT jobs_dedupe UNIQUE (dedupe_key)
);
CREATE INDEX jobs_ready ON jobs (status, run_after);

-- Append-only audit log. Each row carries the hash of the previous one (a hash chain), so an edit or a
-- deletion that gets past the database's refusal (see the dialect migrations) is found by `fixgate audit verify`.
CREATE TABLE audit_log (
    seq        BIGINT       NOT NULL PRIMARY KEY,
    at         TIMESTAMP WITH TIME ZONE NOT NULL,
    actor      VARCHAR(256) NOT NULL,
    type       VARCHAR(64)  NOT NULL,
    subject    VARCHAR(256) NOT NULL,
    payload    ${text}      NOT NULL,   -- JSON of the event
    prev_hash  CHAR(64)     NOT NULL,
    hash       CHAR(64)     NOT NULL,
    CONSTRAINT audit_chain UNIQUE (prev_hash)
);
CREATE INDEX audit_subject ON audit_log (subject);

-- The chain's head. Appenders lock this single row (SELECT ... FOR UPDATE) so that concurrent writers, in one
-- process or several, take turns; it also lets verification notice a log whose tail was cut off.
CREATE TABLE audit_head (
    id    INTEGER  NOT NULL PRIMARY KEY,
    seq   BIGINT   NOT NULL,
    hash  CHAR(64) NOT NULL,
    CONSTRAINT audit_head_single_row CHECK (id = 1)
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
