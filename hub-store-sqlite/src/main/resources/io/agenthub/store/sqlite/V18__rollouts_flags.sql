-- Rollouts: one per pool, the whole record as JSON (doc) under a revision for compare-and-set. Outcome counters per
-- pool, window and side; only the rollout's current window has rows (a save that changes the window drops the rest).
CREATE TABLE rollout (
  pool TEXT PRIMARY KEY,
  revision INTEGER NOT NULL,
  window INTEGER NOT NULL,
  doc TEXT NOT NULL
);

CREATE TABLE rollout_count (
  pool TEXT NOT NULL,
  window INTEGER NOT NULL,
  side TEXT NOT NULL,
  completed INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (pool, window, side)
);

-- Feature flags: the definition as JSON by key; the counter flag_version grows with every change.
CREATE TABLE flag (
  key TEXT PRIMARY KEY,
  doc TEXT NOT NULL
);
INSERT INTO counter VALUES ('flag_version', 0);
