-- Per-agent acknowledged inbox cursor: where unread messages start after a restart.
CREATE TABLE inbox_ack (agent_id TEXT PRIMARY KEY, cursor INTEGER NOT NULL);
