-- Records a heartbeat. KEYS: agent hash. ARGV: now, then flag/value pairs for status, task and tokens (flag '1' sets
-- the field, '0' leaves it). Returns the agent's fields, or an empty list if it does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
local fields = { 'status', 'task', 'tokens' }
for i, field in ipairs(fields) do
  if ARGV[2 * i] == '1' then
    redis.call('HSET', KEYS[1], field, ARGV[2 * i + 1])
  end
end
agent_seen(KEYS[1], ARGV[1])
return redis.call('HGETALL', KEYS[1])
