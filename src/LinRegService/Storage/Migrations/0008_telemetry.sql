-- Telemetry (issue 16): the submitting key's role, for the job counters' owner-role attribute on
-- whichever replica runs the job, and the submission's W3C trace context, so that each attempt
-- continues the submission's trace there. Jobs made before this script have neither.
ALTER TABLE jobs ADD COLUMN owner_role text;
ALTER TABLE jobs ADD COLUMN trace_parent text;
