-- Agent lifecycle: progress marks for stall detection, handoffs, usage counters, budget alerts, halts and
-- acknowledgements.

-- One row per agent that made progress or was marked stalled. Times are epoch milliseconds; NULL means never / not.
CREATE TABLE agent_progress (
  agent_id TEXT PRIMARY KEY,
  last_progress_at INTEGER,
  stalled_since INTEGER
) WITHOUT ROWID;

-- One row per handoff; the public id is 'ho-' || seq. AUTOINCREMENT so that ids are never reused.
-- Targets are written 'agent:ID', 'pool:NAME', 'capability:NAME' or 'any'; fallback is '' for none.
-- next_steps, files, leases and declined_by are JSON arrays. dedupe_key is '' for none.
CREATE TABLE handoff (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  from_agent TEXT NOT NULL,
  target TEXT NOT NULL,
  fallback TEXT NOT NULL,
  title TEXT NOT NULL,
  context TEXT NOT NULL,
  next_steps TEXT NOT NULL,
  files TEXT NOT NULL,
  leases TEXT NOT NULL,
  checkpoint_version INTEGER NOT NULL,
  status TEXT NOT NULL,
  declined_by TEXT NOT NULL,
  accepted_by TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  accepted_at INTEGER,
  closed_at INTEGER,
  returned INTEGER NOT NULL,
  dedupe_key TEXT NOT NULL
);
-- Listings by status, and the expiry scan (status = 'PENDING' AND expires_at <= now).
CREATE INDEX handoff_status ON handoff (status, expires_at);
-- At most one open handoff per dedupe key (one transfer per agent, one reaped handoff per silent agent).
CREATE UNIQUE INDEX handoff_dedupe ON handoff (dedupe_key)
  WHERE dedupe_key <> '' AND status IN ('PENDING', 'ACCEPTED');

-- Usage counters per (day, agent, pool, model). day is yyyy-MM-dd in the hub's usage time zone; cost in nano-dollars.
CREATE TABLE usage (
  day TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  pool TEXT NOT NULL,
  model TEXT NOT NULL,
  calls INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL,
  cost_nanos INTEGER NOT NULL,
  PRIMARY KEY (day, agent_id, pool, model)
) WITHOUT ROWID;

-- Day totals per scope ('fleet', 'agent:ID', 'pool:NAME'), kept in the same transaction as usage, so that budget
-- checks read one row.
CREATE TABLE usage_total (
  day TEXT NOT NULL,
  scope TEXT NOT NULL,
  calls INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL,
  cost_nanos INTEGER NOT NULL,
  PRIMARY KEY (day, scope)
) WITHOUT ROWID;

-- Budget alerts: one per (day, scope, level). scope is 'fleet' or 'agent:ID'.
CREATE TABLE budget_alert (
  day TEXT NOT NULL,
  scope TEXT NOT NULL,
  level TEXT NOT NULL,
  spend_nanos INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (day, scope, level)
) WITHOUT ROWID;

-- Halts in force, one per scope, until acknowledged.
CREATE TABLE budget_halt (
  scope TEXT PRIMARY KEY,
  day TEXT NOT NULL,
  spend_nanos INTEGER NOT NULL,
  since INTEGER NOT NULL
) WITHOUT ROWID;

-- Acknowledgements that lifted halts: the halt, who, why and when.
CREATE TABLE budget_ack (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  scope TEXT NOT NULL,
  day TEXT NOT NULL,
  spend_nanos INTEGER NOT NULL,
  halted_since INTEGER NOT NULL,
  by_actor TEXT NOT NULL,
  note TEXT NOT NULL,
  at INTEGER NOT NULL
);
