-- Memory quotas count an author's live entries and bytes inside each write: an index keeps that to the author's rows.
CREATE INDEX memory_author_live ON memory (author) WHERE deleted_at IS NULL;
