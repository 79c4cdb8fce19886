-- Memory entries merge duplicates and decay: how often an entry was written, by whom, when last, and the fingerprint
-- (MemoryWords.fingerprint: category and stemmed words) under which at most one live entry exists. Entries from before
-- this migration have no fingerprint; the first duplicate written later gets one, and consolidation merges the two
-- (the older entry then takes over the fingerprint). The full-text index is rebuilt with the Porter stemmer, so that
-- `caching` finds `cached`.
ALTER TABLE memory ADD COLUMN write_count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE memory ADD COLUMN authors TEXT NOT NULL DEFAULT '[]';
ALTER TABLE memory ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE memory ADD COLUMN fingerprint TEXT;
UPDATE memory SET authors = json_array(author), updated_at = created_at;

CREATE UNIQUE INDEX memory_fingerprint ON memory (fingerprint) WHERE deleted_at IS NULL AND fingerprint IS NOT NULL;
-- Decay candidates: live entries never recalled, oldest write first.
CREATE INDEX memory_unrecalled ON memory (updated_at, seq) WHERE deleted_at IS NULL AND recall_count = 0;

DROP TRIGGER memory_fts_insert;
DROP TRIGGER memory_fts_soft_delete;
DROP TRIGGER memory_fts_delete;
DROP TABLE memory_fts;

CREATE VIRTUAL TABLE memory_fts USING fts5 (
  content,
  tags,
  content = 'memory_live',
  content_rowid = 'seq',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
-- Reindex every live entry with the new tokenizer.
INSERT INTO memory_fts (memory_fts) VALUES ('rebuild');

CREATE TRIGGER memory_fts_insert AFTER INSERT ON memory WHEN new.deleted_at IS NULL
BEGIN
  INSERT INTO memory_fts (rowid, content, tags) VALUES (new.seq, new.content, new.tags);
END;

CREATE TRIGGER memory_fts_soft_delete AFTER UPDATE OF deleted_at ON memory
WHEN old.deleted_at IS NULL AND new.deleted_at IS NOT NULL
BEGIN
  INSERT INTO memory_fts (memory_fts, rowid, content, tags) VALUES ('delete', old.seq, old.content, old.tags);
END;

CREATE TRIGGER memory_fts_delete AFTER DELETE ON memory WHEN old.deleted_at IS NULL
BEGIN
  INSERT INTO memory_fts (memory_fts, rowid, content, tags) VALUES ('delete', old.seq, old.content, old.tags);
END;

-- A merge that adds tags reindexes the entry, so that the new tags are searchable.
CREATE TRIGGER memory_fts_tags AFTER UPDATE OF tags ON memory
WHEN old.deleted_at IS NULL AND new.deleted_at IS NULL AND old.tags IS NOT new.tags
BEGIN
  INSERT INTO memory_fts (memory_fts, rowid, content, tags) VALUES ('delete', old.seq, old.content, old.tags);
  INSERT INTO memory_fts (rowid, content, tags) VALUES (new.seq, new.content, new.tags);
END;
