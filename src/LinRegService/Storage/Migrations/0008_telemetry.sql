-- Telemetry (issue 16): the submitting key's role, for the job counters' owner-role attribute on
-- whichever replica runs the job; the submission's W3C trace context, so that each attempt
-- continues the submission's trace there; and where the latest claim took the job from ('new',
-- 'requeued' by a replica that stopped, or 'lapsed': its last attempt never ended), which only
-- the claim's own statement can see. Jobs made before this script have none of them.
ALTER TABLE jobs ADD COLUMN owner_role text;
ALTER TABLE jobs ADD COLUMN trace_parent text;
ALTER TABLE jobs ADD COLUMN claimed_from text;
