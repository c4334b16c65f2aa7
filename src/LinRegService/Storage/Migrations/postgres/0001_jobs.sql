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
