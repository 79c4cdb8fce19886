-- Clears an agent's disabled mark. KEYS: agent hash. Returns the agent's fields, or an empty list if it does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
redis.call('HDEL', KEYS[1], 'disabled_by', 'disabled_at', 'disabled_reason')
return redis.call('HGETALL', KEYS[1])
