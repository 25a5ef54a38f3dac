-- Gate decisions: one row per resource of an initiative each time the gate decides, never updated. The full
-- decision input is kept, so any decision can be replayed offline (fixgate assess --at) and explained later.
-- initiative_id is not a foreign key: decisions replayed from files may concern initiatives this store never saw.
CREATE TABLE gate_decisions (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    initiative_id    VARCHAR(40)   NOT NULL,
    resource_key     VARCHAR(2048) NOT NULL,
    playbook_id      VARCHAR(200)  NOT NULL,
    rci_level        VARCHAR(8)    NOT NULL,   -- SAFE | RISKY | UNSAFE
    rci_confidence   DOUBLE PRECISION NOT NULL,
    blast_resources  INTEGER       NOT NULL,
    blast_instances  INTEGER       NOT NULL,
    decision         VARCHAR(16)   NOT NULL,   -- allow | needs_approval | deny
    action           VARCHAR(16)   NOT NULL,   -- automerge | await_approval | route_to_owner | record_only
    layers           ${text}       NOT NULL,   -- JSON: every engine's verdict and reasons
    input            ${text}       NOT NULL,   -- JSON: the decision input
    decided_at       TIMESTAMP WITH TIME ZONE NOT NULL,   -- the instant decided for (--at when replayed)
    recorded_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX gate_decisions_initiative ON gate_decisions (initiative_id);
CREATE INDEX gate_decisions_resource ON gate_decisions (resource_key);
