-- The schema of the first releases, for every engine ({{...}} are the dialect's words). IF NOT
-- EXISTS: a database made before migrations existed is adopted as version 1.
CREATE TABLE IF NOT EXISTS jobs (
    seq {{identity}},
    id text NOT NULL UNIQUE,
    status text NOT NULL,
    created_at bigint NOT NULL,
    started_at bigint,
    finished_at bigint,
    request text NOT NULL,
    warm_start text,
    result text,
    samples text,
    error text,
    attempts integer NOT NULL DEFAULT 0,
    idempotency_key text UNIQUE,
    request_hash text,
    lease_owner text,
    lease_until bigint
);
CREATE INDEX IF NOT EXISTS jobs_status_seq ON jobs (status, seq);
CREATE TABLE IF NOT EXISTS epoch_losses (
    job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    epoch integer NOT NULL,
    loss double precision NOT NULL,
    PRIMARY KEY (job_id, epoch)
){{without_rowid}};
