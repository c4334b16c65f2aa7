-- The schema of the first releases (IF NOT EXISTS: a database made before migrations existed is adopted as version 1).
CREATE TABLE IF NOT EXISTS jobs (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
);

-- Triggers, not calls in each statement, announce changes: every path that moves a job (claims,
-- lapsed leases, cancels, recovery, finishing) is covered by construction. NOTIFY is delivered at
-- commit and identical payloads in one transaction collapse, so a batch of losses is one notice.
CREATE OR REPLACE FUNCTION linreg_job_changed() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    PERFORM pg_notify('linreg_job_changes', to_jsonb(NEW) ->> TG_ARGV[0]);
    RETURN NULL;
END
$body$;
DROP TRIGGER IF EXISTS jobs_changed ON jobs;
CREATE TRIGGER jobs_changed AFTER UPDATE OF status, attempts ON jobs FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.attempts IS DISTINCT FROM NEW.attempts)
    EXECUTE FUNCTION linreg_job_changed('id');
DROP TRIGGER IF EXISTS epoch_losses_changed ON epoch_losses;
CREATE TRIGGER epoch_losses_changed AFTER INSERT OR UPDATE ON epoch_losses FOR EACH ROW
    EXECUTE FUNCTION linreg_job_changed('job_id');
