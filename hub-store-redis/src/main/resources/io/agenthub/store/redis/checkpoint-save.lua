-- Stores an agent's next checkpoint version and prunes to the newest `keep`, in one step.
-- KEYS: version counter, versions, data (all tagged with the agent). ARGV: json, keep. Returns the version.
local v = redis.call('INCR', KEYS[1])
local id = string.format('%d', v)
redis.call('HSET', KEYS[3], id, ARGV[1])
redis.call('ZADD', KEYS[2], v, id)
local cutoff = v - tonumber(ARGV[2])
if cutoff >= 1 then
  local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', cutoff)
  if #old > 0 then
    redis.call('HDEL', KEYS[3], unpack(old))
    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', cutoff)
  end
end
return v
