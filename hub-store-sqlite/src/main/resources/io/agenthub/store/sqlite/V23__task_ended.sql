-- Retention of the work queue: final tasks by the time they ended (updated_at is the end time of a final task, which
-- nothing changes afterwards), so that the purge reads only the tasks it forgets, never the rest of the history.
CREATE INDEX task_ended ON task (updated_at) WHERE state IN ('done', 'cancelled', 'dead');
