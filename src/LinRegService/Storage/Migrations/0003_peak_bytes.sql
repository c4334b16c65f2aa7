-- Each job's estimated peak memory, set at submission: a worker claims a job only while it fits
-- the memory its process has left (issue 13). Jobs stored before have none and always fit.
ALTER TABLE jobs ADD COLUMN peak_bytes bigint;
