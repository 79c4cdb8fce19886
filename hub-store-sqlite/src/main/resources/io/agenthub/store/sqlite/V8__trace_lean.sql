-- The trail is the most written table (one or two rows per request). Each row now updates the table and one index:
-- seq is a plain rowid (it still only grows, since purges delete the oldest rows and never the newest), and the
-- index on at alone is gone (the retention purge walks seq from the oldest row instead).
CREATE TABLE trace_lean (
  seq INTEGER PRIMARY KEY,
  agent_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  outcome TEXT NOT NULL,
  millis INTEGER NOT NULL
);
INSERT INTO trace_lean (seq, agent_id, at, kind, action, subject, outcome, millis)
  SELECT seq, agent_id, at, kind, action, subject, outcome, millis FROM trace;
DROP TABLE trace;
ALTER TABLE trace_lean RENAME TO trace;
CREATE INDEX trace_agent ON trace (agent_id, at, seq);
