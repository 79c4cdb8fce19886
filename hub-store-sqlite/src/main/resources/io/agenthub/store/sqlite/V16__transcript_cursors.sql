-- Transcript cursors of the Claude Code hooks: per agent and session, the bytes of the session's transcript already
-- counted into usage and the last model message counted. Numbered after the issue that added it (16), so that
-- migrations merged from parallel branches do not take the same number. Times are epoch milliseconds.
CREATE TABLE transcript_cursor (
  agent_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  byte_offset INTEGER NOT NULL,
  last_message_id TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (agent_id, session_id)
);
CREATE INDEX transcript_cursor_updated ON transcript_cursor (updated_at);
