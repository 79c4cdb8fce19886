-- Security events counted per one-minute bucket (epoch millis of the minute's start), by kind, subject and detail.
-- Aggregates, not state: a snapshot leaves them out, and housekeeping keeps security-event-retention of them.
CREATE TABLE security_event (
  bucket INTEGER NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (bucket, kind, subject, detail)
) WITHOUT ROWID;
