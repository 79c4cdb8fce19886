-- Records progress: last = max(last, now) and the stall mark cleared, in one step. KEYS: the agent's hash, ids.
-- ARGV: agent id, now. Returns {stalledSince} if a stall mark was cleared, else an empty list.
local stalled = redis.call('HGET', KEYS[1], 'stalled')
local last = redis.call('HGET', KEYS[1], 'last')
if not last or tonumber(ARGV[2]) > tonumber(last) then
  redis.call('HSET', KEYS[1], 'last', ARGV[2])
end
redis.call('HDEL', KEYS[1], 'stalled')
redis.call('ZADD', KEYS[2], 0, ARGV[1])
if stalled then
  return { stalled }
end
return {}
