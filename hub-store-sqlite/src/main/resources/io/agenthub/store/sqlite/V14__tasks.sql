-- The work queue. A task's creation fields that no query filters on are one JSON column (spec); the rest are columns.
-- ready-able tasks (queued, not waiting on dependencies) are found through task_ready in claim order; queue depth and
-- the oldest queued task of a pool through task_queued; expired claims through task_claimed; due retries through
-- task_retry. Times are epoch milliseconds.
CREATE TABLE task (
  seq INTEGER PRIMARY KEY,
  pool TEXT NOT NULL,
  priority INTEGER NOT NULL,
  deadline INTEGER,
  max_attempts INTEGER NOT NULL,
  spec TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  waiting INTEGER NOT NULL DEFAULT 0,
  holder TEXT,
  token INTEGER,
  claimed_at INTEGER,
  expires_at INTEGER,
  leases TEXT,
  retry_at INTEGER,
  result TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL
);
CREATE INDEX task_ready ON task (pool, priority DESC, seq) WHERE state = 'queued' AND waiting = 0;
CREATE INDEX task_queued ON task (pool, created_at) WHERE state IN ('queued', 'failed');
CREATE INDEX task_claimed ON task (expires_at) WHERE state = 'claimed';
CREATE INDEX task_retry ON task (retry_at) WHERE state = 'failed';
CREATE INDEX task_holder ON task (holder) WHERE state = 'claimed';
CREATE INDEX task_state ON task (state, seq);
CREATE INDEX task_pool ON task (pool, seq);

-- task waits for dep; found by dep when dep is done.
CREATE TABLE task_dep (dep INTEGER NOT NULL, task INTEGER NOT NULL, PRIMARY KEY (dep, task));

-- History: n counts per task from 1.
CREATE TABLE task_event (
  task INTEGER NOT NULL,
  n INTEGER NOT NULL,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  agent TEXT NOT NULL,
  token INTEGER NOT NULL,
  detail TEXT NOT NULL,
  PRIMARY KEY (task, n)
);

INSERT INTO counter VALUES ('task_seq', 0);
INSERT INTO counter VALUES ('task_changes', 0);
