-- Mutual exclusion across fixgate processes (several replicas on one database): a row per held lock, with a lease
-- timed by the database's clock. A holder renews expires_at while it works; a crashed holder's lock is free again
-- once expires_at has passed. Used per repository: one remediation run and one pull request delivery at a time.
CREATE TABLE named_locks (
    name        VARCHAR(400) NOT NULL PRIMARY KEY,
    holder      VARCHAR(200) NOT NULL,
    acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
