-- The tags a cloud finding reported for its resource (ASFF Resources[].Tags), as a JSON object of strings:
-- locate reads Yor's yor_trace / git_* tags and CloudFormation's aws:cloudformation:* tags from them. '{}' when
-- the source reported none, and for code findings. Not part of the fingerprint: tags change, the resource stays.
-- Bounded text rather than a LOB: FindingStore keeps it under 65536 characters (see Columns.tagsJson).
ALTER TABLE findings ADD COLUMN resource_tags VARCHAR(65536) DEFAULT '{}' NOT NULL;
