-- Records a heartbeat. KEYS: agent hash. ARGV: now, then flag/value pairs for status, task and tokens (flag '1' sets
-- the field, '0' leaves it). Returns the agent's fields followed by the pair 'changed', '1' if the heartbeat changed
-- the status or the task ('0' if not), or an empty list if the agent does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
local before = redis.call('HMGET', KEYS[1], 'status', 'task')
local fields = { 'status', 'task', 'tokens' }
for i, field in ipairs(fields) do
  if ARGV[2 * i] == '1' then
    redis.call('HSET', KEYS[1], field, ARGV[2 * i + 1])
  end
end
agent_seen(KEYS[1], ARGV[1])
local changed = '0'
if (ARGV[2] == '1' and ARGV[3] ~= before[1]) or (ARGV[4] == '1' and ARGV[5] ~= before[2]) then
  changed = '1'
end
local out = redis.call('HGETALL', KEYS[1])
out[#out + 1] = 'changed'
out[#out + 1] = changed
return out
