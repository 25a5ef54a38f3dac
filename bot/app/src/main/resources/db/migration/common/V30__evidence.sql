-- Evidence read through the providers' collectors, and how a remediation's RCI changed (issue 13). Numbered from 30:
-- other work takes other ranges.

-- One answer of a collector about one resource and kind: a value (JSON) or why there is none, where it was read,
-- and until when it may be reused. The same question is not asked twice while an answer is fresh; unavailable
-- answers expire sooner, so a denied or throttled read is tried again.
CREATE TABLE evidence_observations (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resource_key  VARCHAR(1024) NOT NULL,   -- the cloud resource's key (an ARN, an Azure id lower-cased, a GCP name)
    kind          VARCHAR(100)  NOT NULL,
    value_json    ${text},                  -- NULL when unavailable
    unavailable   ${text}       NOT NULL,   -- '' when observed
    api           VARCHAR(512)  NOT NULL,
    account       VARCHAR(128)  NOT NULL,
    role          VARCHAR(512)  NOT NULL,
    region        VARCHAR(64)   NOT NULL,
    observed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX evidence_observations_resource ON evidence_observations (resource_key, kind, observed_at);

-- Each time a remediation's RCI level or blast radius changed (and its first assessment): what the PR body's RCI
-- history shows.
CREATE TABLE rci_history (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    remediation_id BIGINT        NOT NULL,
    level          VARCHAR(16)   NOT NULL,
    confidence     DOUBLE PRECISION NOT NULL,
    blast          VARCHAR(24)   NOT NULL,
    evidence       ${text}       NOT NULL,  -- the evidence that decided, one line per kind
    assessed_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX rci_history_remediation ON rci_history (remediation_id, assessed_at);
