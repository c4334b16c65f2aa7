-- A key's own limit on the stored size of one uploaded dataset (issue 15): null is the
-- Quotas:MaxDatasetBytes default, as for the other quota columns of 0002.
ALTER TABLE api_keys ADD COLUMN max_dataset_bytes bigint;
