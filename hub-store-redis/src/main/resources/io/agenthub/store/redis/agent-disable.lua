-- Marks an agent disabled, replacing an earlier mark. KEYS: agent hash. ARGV: by, at (epoch ms), reason. Returns the
-- agent's fields, or an empty list if it does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
redis.call('HSET', KEYS[1], 'disabled_by', ARGV[1], 'disabled_at', ARGV[2], 'disabled_reason', ARGV[3])
return redis.call('HGETALL', KEYS[1])
