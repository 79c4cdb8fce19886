-- Replaces name, capabilities and labels. KEYS: agent hash. ARGV: id, name ('' means the id), capabilities, labels.
-- Returns the agent's fields, or an empty list if it does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
local name = ARGV[2]
if name == '' then
  name = ARGV[1]
end
redis.call('HSET', KEYS[1], 'name', name, 'caps', ARGV[3], 'labels', ARGV[4])
return redis.call('HGETALL', KEYS[1])
