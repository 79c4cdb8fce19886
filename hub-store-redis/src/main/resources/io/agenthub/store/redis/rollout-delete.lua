-- Removes a pool's rollout and its counters if it still has the expected revision (see RolloutStore.delete).
-- KEYS: docs, revisions, windows, the pool's counters. ARGV: pool, expected revision. Returns 1 if removed, else 0.
local pool = ARGV[1]
if redis.call('HGET', KEYS[2], pool) ~= ARGV[2] then
  return 0
end
redis.call('HDEL', KEYS[1], pool)
redis.call('HDEL', KEYS[2], pool)
redis.call('HDEL', KEYS[3], pool)
redis.call('DEL', KEYS[4])
return 1
