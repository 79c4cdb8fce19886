-- Knowledge: shared memory entries with a full-text index and a tag table, and per-agent checkpoints.

-- One row per memory entry. seq orders entries and keys the full-text index; id is the public name.
-- tags holds a JSON array in the author's order. Deleted entries stay, with deleted_at and deleted_by set.
CREATE TABLE memory (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  category TEXT NOT NULL,
  content TEXT NOT NULL,
  tags TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  recall_count INTEGER NOT NULL DEFAULT 0,
  last_recalled_at INTEGER,
  deleted_at INTEGER,
  deleted_by TEXT
);
CREATE INDEX memory_live_recent ON memory (created_at, seq) WHERE deleted_at IS NULL;

-- Tags for filtering: an entry matches a tag filter when it has a row here for every requested tag.
CREATE TABLE memory_tag (
  tag TEXT NOT NULL,
  memory_seq INTEGER NOT NULL REFERENCES memory (seq) ON DELETE CASCADE,
  PRIMARY KEY (tag, memory_seq)
) WITHOUT ROWID;

-- The entries that reads may return.
CREATE VIEW memory_live AS SELECT seq, content, tags FROM memory WHERE deleted_at IS NULL;

-- The full-text index over live entries' content and tags. It stores no text of its own: its external content is
-- the memory_live view, so that an integrity check or a rebuild agrees with it. The triggers below keep it in step
-- with memory within the same transaction as every write.
CREATE VIRTUAL TABLE memory_fts USING fts5 (
  content,
  tags,
  content = 'memory_live',
  content_rowid = 'seq',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER memory_fts_insert AFTER INSERT ON memory WHEN new.deleted_at IS NULL
BEGIN
  INSERT INTO memory_fts (rowid, content, tags) VALUES (new.seq, new.content, new.tags);
END;

-- A soft delete takes the entry out of the index, so that it neither matches nor counts in ranking statistics.
CREATE TRIGGER memory_fts_soft_delete AFTER UPDATE OF deleted_at ON memory
WHEN old.deleted_at IS NULL AND new.deleted_at IS NOT NULL
BEGIN
  INSERT INTO memory_fts (memory_fts, rowid, content, tags) VALUES ('delete', old.seq, old.content, old.tags);
END;

-- Purging a row that is still indexed (not soft-deleted first) removes it from the index too.
CREATE TRIGGER memory_fts_delete AFTER DELETE ON memory WHEN old.deleted_at IS NULL
BEGIN
  INSERT INTO memory_fts (memory_fts, rowid, content, tags) VALUES ('delete', old.seq, old.content, old.tags);
END;

-- One row per retained checkpoint version. Lists are JSON arrays. Saving prunes each agent to its newest versions.
CREATE TABLE checkpoint (
  agent_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  current_task TEXT NOT NULL,
  progress TEXT NOT NULL,
  decisions TEXT NOT NULL,
  blockers TEXT NOT NULL,
  pending_work TEXT NOT NULL,
  files_touched TEXT NOT NULL,
  context TEXT NOT NULL,
  context_tokens INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (agent_id, version)
);
