-- Coordination drill runs, each as a JSON document; the newest few are kept.
CREATE TABLE drill_run (
  id TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX drill_run_started ON drill_run (started_at);
