-- An agent disabled by an admin stays disabled (no enrolment, no new token) until an admin enables it again. All three
-- columns are NULL while the agent is enabled; disabled_at is the mark (epoch milliseconds).
ALTER TABLE agent ADD COLUMN disabled_by TEXT;
ALTER TABLE agent ADD COLUMN disabled_at INTEGER;
ALTER TABLE agent ADD COLUMN disabled_reason TEXT;
