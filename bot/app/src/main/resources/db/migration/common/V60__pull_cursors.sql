-- Where each scheduled pull of a cloud's own findings (Defender for Cloud assessments, …) has got to, per account:
-- the newest change time read so far. A pull asks for changes at or after it, so a restart or another replica
-- continues where the last successful pull ended; records read twice are recognised by intake (same fingerprint,
-- same time: unchanged). Advanced only after every page of a pull was ingested, and never moved back.
CREATE TABLE pull_cursors (
    source      VARCHAR(64)  NOT NULL,
    account     VARCHAR(200) NOT NULL,
    position    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (source, account)
);
