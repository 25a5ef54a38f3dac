-- Slash commands and the Remediation Dashboard (issue 14). Numbered from 20: other work takes other ranges.

-- Every command fixgate ran, once per comment version: a redelivered webhook or a retried job finds its row and
-- does not run the command twice. The audit log holds the same as chatops.command events.
CREATE TABLE chatops_commands (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    repo         VARCHAR(256)  NOT NULL,
    number       INTEGER       NOT NULL,   -- pull request or issue number
    source_key   VARCHAR(160)  NOT NULL,   -- comment id + body hash, check-run action, dashboard edit
    sender       VARCHAR(100)  NOT NULL,
    command      VARCHAR(40)   NOT NULL,
    head_sha     VARCHAR(64)   NOT NULL,   -- the pull request's head when the command ran ('' for issues)
    outcome      VARCHAR(24)   NOT NULL,   -- done | refused | failed
    message      ${text}       NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT chatops_commands_source UNIQUE (source_key)
);
CREATE INDEX chatops_commands_pull ON chatops_commands (repo, number);

-- /fixgate approve: an approval bound to the head commit it was given on, counted like an approving review.
CREATE TABLE approval_grants (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    repo         VARCHAR(256)  NOT NULL,
    number       INTEGER       NOT NULL,
    grantor      VARCHAR(100)  NOT NULL,
    commit_sha   VARCHAR(64)   NOT NULL,
    granted_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX approval_grants_pull ON approval_grants (repo, number);

-- Holds on remediation: snoozed or ignored initiatives and resources, rejected plans. fixgate opens nothing for a
-- held initiative, resource or plan until the hold ends or is lifted.
CREATE TABLE remediation_holds (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    repo         VARCHAR(256)  NOT NULL,
    initiative_id VARCHAR(40)  NOT NULL,
    kind         VARCHAR(16)   NOT NULL,   -- SNOOZE | IGNORE | REJECT
    target       VARCHAR(2048) NOT NULL,   -- '' (the whole initiative), a resource (file:address), a plan hash
    reason       ${text}       NOT NULL,
    created_by   VARCHAR(100)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    until_at     TIMESTAMP WITH TIME ZONE,  -- NULL: until lifted
    lifted_at    TIMESTAMP WITH TIME ZONE,
    lifted_by    VARCHAR(100)
);
CREATE INDEX remediation_holds_repo ON remediation_holds (repo, initiative_id);

-- /fixgate recreate after a human push: fixgate may move its branch over exactly this human head, once.
CREATE TABLE branch_overrides (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    repo         VARCHAR(256)  NOT NULL,
    branch       VARCHAR(256)  NOT NULL,
    human_sha    VARCHAR(64)   NOT NULL,
    created_by   VARCHAR(100)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT branch_overrides_head UNIQUE (repo, branch, human_sha)
);

-- What the last remediation run of an initiative in a repository could not propose (blocked by the gate, not
-- located, an error): the dashboard's "blocked" and "errors" sections. Replaced on each run.
CREATE TABLE remediation_notes (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    repo         VARCHAR(256)  NOT NULL,
    initiative_id VARCHAR(40)  NOT NULL,
    kind         VARCHAR(16)   NOT NULL,   -- BLOCKED | PROBLEM
    text         ${text}       NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX remediation_notes_repo ON remediation_notes (repo, initiative_id);

-- The dashboard issue of each repository.
CREATE TABLE dashboards (
    repo         VARCHAR(256)  NOT NULL PRIMARY KEY,
    installation_id BIGINT     NOT NULL,
    issue_number INTEGER       NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
