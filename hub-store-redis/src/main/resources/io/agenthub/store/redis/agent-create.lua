-- Creates an agent unless its id exists. KEYS: agent hash, ids. ARGV: id, then field/value pairs. Returns 1 or 0.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('ZADD', KEYS[2], 0, ARGV[1])
return 1
