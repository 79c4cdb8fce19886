-- Stores a pool's rollout if the stored one still has the expected revision (see RolloutStore.save).
-- KEYS: docs (pool -> JSON), revisions (pool -> n), windows (pool -> window), the pool's counters.
-- ARGV: pool, expected revision (0 for none), the rollout's JSON (already carrying the new revision), its window.
-- Returns the new revision, or -1 if another writer came first. A new window drops the counters of the old one.
local pool = ARGV[1]
local current = tonumber(redis.call('HGET', KEYS[2], pool) or '0')
if current ~= tonumber(ARGV[2]) then
  return -1
end
if redis.call('HGET', KEYS[3], pool) ~= ARGV[4] then
  redis.call('DEL', KEYS[4])
end
redis.call('HSET', KEYS[1], pool, ARGV[3])
redis.call('HSET', KEYS[2], pool, current + 1)
redis.call('HSET', KEYS[3], pool, ARGV[4])
return current + 1
