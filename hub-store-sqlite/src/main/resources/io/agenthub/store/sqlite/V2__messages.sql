-- Messages: chat in channels, direct messages and notices, in one table keyed by cursor.
-- AUTOINCREMENT (not a plain rowid) so that cursors are never reused, even after the newest rows are purged and the hub
-- restarts: sqlite_sequence remembers the highest cursor ever handed out.
-- channel is '' for DMs and notices; recipient is '' for chat. mentions is a JSON array of agent ids.
CREATE TABLE message (
  cursor INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  author TEXT NOT NULL,
  recipient TEXT NOT NULL,
  text TEXT NOT NULL,
  reply_to TEXT NOT NULL,
  mentions TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
-- Channel reads (channel = ? AND cursor > ?), the channel list, and the per-channel cap.
CREATE INDEX message_channel ON message (channel, cursor);
-- Retention by age.
CREATE INDEX message_created ON message (created_at);

-- One row per (recipient, message): DMs, notices and mentions. Rows go with their message.
CREATE TABLE inbox (
  agent_id TEXT NOT NULL,
  cursor INTEGER NOT NULL REFERENCES message (cursor) ON DELETE CASCADE,
  PRIMARY KEY (agent_id, cursor)
) WITHOUT ROWID;
-- Lets the cascade find a message's inbox rows without a scan.
CREATE INDEX inbox_cursor ON inbox (cursor);
