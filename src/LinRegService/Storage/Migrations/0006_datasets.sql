-- Datasets uploaded as CSV (issue 15). The rows are stored as chunks of float32 values, row-major,
-- each row its features then its label, little-endian: written as the upload streams in, under
-- the upload's id. The datasets row is written last, in one statement, so a dataset exists whole
-- or not at all; chunks whose upload never got its row (a killed upload) are purged. dedupe_key
-- is "<owner> <content hash>" (or the hash for no key): the same rows uploaded twice by one key
-- are one dataset.
CREATE TABLE datasets (
    seq {{identity}},
    id text NOT NULL UNIQUE,
    owner text,
    name text,
    rows bigint NOT NULL,
    features integer NOT NULL,
    feature_names text NOT NULL,
    label_name text NOT NULL,
    bytes bigint NOT NULL,
    content_hash text NOT NULL,
    dedupe_key text NOT NULL UNIQUE,
    created_at bigint NOT NULL
);
CREATE INDEX datasets_owner_seq ON datasets (owner, seq);
CREATE TABLE dataset_chunks (
    upload_id text NOT NULL,
    chunk integer NOT NULL,
    first_row bigint NOT NULL,
    row_count integer NOT NULL,
    data {{blob}} NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (upload_id, chunk)
){{without_rowid}};
ALTER TABLE jobs ADD COLUMN dataset_id text;
CREATE INDEX jobs_dataset ON jobs (dataset_id, status) WHERE dataset_id IS NOT NULL;
