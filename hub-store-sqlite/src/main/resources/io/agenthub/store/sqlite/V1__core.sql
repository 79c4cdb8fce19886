-- Core schema: counters, credentials, audit, agents, leases.
CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO counter VALUES ('fence', 0);

CREATE TABLE credential (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  role TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX credential_subject ON credential (subject, kind);

CREATE TABLE audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  details TEXT NOT NULL
);

CREATE TABLE agent (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  capabilities TEXT NOT NULL,
  labels TEXT NOT NULL,
  status TEXT NOT NULL,
  current_task TEXT NOT NULL,
  context_tokens INTEGER NOT NULL,
  presence TEXT NOT NULL,
  last_seen INTEGER NOT NULL,
  presence_since INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);

-- One row per resource: its latest grant. A lease is active while released_at IS NULL AND expires_at > now.
CREATE TABLE lease (
  resource TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  token INTEGER NOT NULL,
  acquired_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  note TEXT NOT NULL,
  released_at INTEGER
);
CREATE INDEX lease_holder ON lease (holder);
