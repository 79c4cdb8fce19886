-- Marks an agent stalled unless it is marked or made progress after `quiet since`. KEYS: the agent's hash, ids.
-- ARGV: agent id, quiet since, now. Returns 1 if this call marked it.
if redis.call('HEXISTS', KEYS[1], 'stalled') == 1 then
  return 0
end
local last = redis.call('HGET', KEYS[1], 'last')
if last and tonumber(last) > tonumber(ARGV[2]) then
  return 0
end
redis.call('HSET', KEYS[1], 'stalled', ARGV[3])
redis.call('ZADD', KEYS[2], 0, ARGV[1])
return 1
