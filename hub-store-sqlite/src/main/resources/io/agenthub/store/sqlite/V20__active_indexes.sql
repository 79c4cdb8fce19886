-- Indexes over what is active, not over history. A lease row stays after its release (until the daily purge), so an
-- index of holder alone made an agent's acquire count every grant it had that day; these hold unreleased rows only
-- (an expired but unreleased row stays in them until the purge, a bounded remainder).
DROP INDEX lease_holder;
CREATE INDEX lease_held ON lease (holder, expires_at) WHERE released_at IS NULL;
CREATE INDEX lease_live ON lease (expires_at) WHERE released_at IS NULL;
