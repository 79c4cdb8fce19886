-- Sets an issue's status. KEYS: the issue hash. ARGV: status, at (ms), by. Returns the issue, or an empty reply.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'changedAt', ARGV[2], 'changedBy', ARGV[3])
return redis.call('HGETALL', KEYS[1])
