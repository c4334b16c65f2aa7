-- Sweeps (issue 14): a grid of ordinary jobs submitted as one. The sweep row keeps the request
-- (the base with its seeds drawn, and the grid); each job names its sweep, so a sweep's status is
-- read from its jobs on any replica. Jobs made before this script belong to no sweep.
CREATE TABLE sweeps (
    seq {{identity}},
    id text NOT NULL UNIQUE,
    created_at bigint NOT NULL,
    owner text,
    request text NOT NULL,
    job_count integer NOT NULL,
    idempotency_key text UNIQUE,
    request_hash text
);
CREATE INDEX sweeps_owner_seq ON sweeps (owner, seq);
ALTER TABLE jobs ADD COLUMN sweep_id text;
CREATE INDEX jobs_sweep ON jobs (sweep_id, seq) WHERE sweep_id IS NOT NULL;
