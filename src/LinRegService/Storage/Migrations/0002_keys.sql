-- API keys (issue 13) and who owns each job ({{...}} are the dialect's words). A key is never
-- deleted, only revoked, so a job's owner always names a row here; jobs made before this script
-- have no owner and are seen by admin keys only. Only the secret's SHA-256 is kept.
CREATE TABLE api_keys (
    id text PRIMARY KEY,
    name text NOT NULL,
    role text NOT NULL,
    secret_hash text NOT NULL UNIQUE,
    origin text NOT NULL,
    created_at bigint NOT NULL,
    last_used_at bigint,
    revoked_at bigint,
    max_active_jobs integer,
    max_job_values bigint,
    max_job_work bigint,
    max_stored_bytes bigint
){{without_rowid}};
ALTER TABLE jobs ADD COLUMN owner text;
-- A key's jobs, newest first (its list, its usage).
CREATE INDEX jobs_owner_seq ON jobs (owner, seq);
