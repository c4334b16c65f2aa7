-- Fair claims (issue 13): a worker takes the job of the owner served longest ago, so each claim
-- looks up every waiting owner's latest start. Jobs of no key count as one owner ('').
CREATE INDEX jobs_owner_started ON jobs ((coalesce(owner, '')), started_at);
