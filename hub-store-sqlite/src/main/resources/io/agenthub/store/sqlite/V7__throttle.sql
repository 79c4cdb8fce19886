-- The auto-throttle's last admission of new work per agent (epoch milliseconds), shared by every hub node on this
-- database. Transient: rows older than the throttle delay no longer matter and are deleted as others are written.
CREATE TABLE budget_throttle (
  agent_id TEXT PRIMARY KEY,
  admitted_at INTEGER NOT NULL
) WITHOUT ROWID;
