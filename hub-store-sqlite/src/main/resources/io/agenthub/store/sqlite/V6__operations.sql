-- Operations: the errors tool, operation counters, degradation tiers, alerts, agents' trails, self-test results.
-- (V5 is reserved for the lifecycle schema; migrations are applied by version number, whatever order they arrive in.)

-- One row per issue (errors grouped by fingerprint). agents is a JSON array in order of first report.
CREATE TABLE error_issue (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  culprit TEXT NOT NULL,
  level TEXT NOT NULL,
  status TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  agents TEXT NOT NULL,
  last_message TEXT NOT NULL,
  status_changed_at INTEGER NOT NULL,
  status_changed_by TEXT NOT NULL
);
CREATE INDEX error_issue_recent ON error_issue (status, last_seen);

-- The kept occurrences of each issue (the newest few per issue). tags is a JSON object.
CREATE TABLE error_event (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  issue_id TEXT NOT NULL REFERENCES error_issue (id) ON DELETE CASCADE,
  agent_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  level TEXT NOT NULL,
  title TEXT NOT NULL,
  message TEXT NOT NULL,
  culprit TEXT NOT NULL,
  stack_trace TEXT NOT NULL,
  tags TEXT NOT NULL
);
CREATE INDEX error_event_issue ON error_event (issue_id, seq);

-- Reports per hour (epoch millis of the hour's start) and level.
CREATE TABLE error_hourly (
  hour INTEGER NOT NULL,
  level TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (hour, level)
) WITHOUT ROWID;

-- Operation counters per one-minute bucket (epoch millis of the minute's start).
CREATE TABLE op_counter (
  bucket INTEGER NOT NULL,
  name TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (bucket, name)
) WITHOUT ROWID;

-- Tier changes; the newest row is the tier in force. tier and baseline are 1-4.
CREATE TABLE tier_change (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  tier INTEGER NOT NULL,
  baseline INTEGER NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  agent TEXT NOT NULL,
  at INTEGER NOT NULL
);

-- The current state of each alert rule, versioned for compare-and-set.
CREATE TABLE alert_state (
  rule TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  severity TEXT NOT NULL,
  since INTEGER NOT NULL,
  value REAL,
  summary TEXT NOT NULL,
  version INTEGER NOT NULL
);

-- Firings and resolutions.
CREATE TABLE alert_event (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  kind TEXT NOT NULL,
  at INTEGER NOT NULL,
  value REAL,
  summary TEXT NOT NULL,
  started_at INTEGER NOT NULL
);
CREATE INDEX alert_event_at ON alert_event (at);

-- Agents' trails: calls, leases, messages, errors.
CREATE TABLE trace (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  outcome TEXT NOT NULL,
  millis INTEGER NOT NULL
);
CREATE INDEX trace_agent ON trace (agent_id, at, seq);
CREATE INDEX trace_at ON trace (at);

-- Self-test runs, each as a JSON document; the newest few are kept.
CREATE TABLE self_test_run (
  id TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX self_test_run_started ON self_test_run (started_at);
