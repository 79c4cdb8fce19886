-- Deletes trail entries before a time. KEYS: the agents set. ARGV: the trail base, before (ms). Returns how many.
local n = 0
for _, agent in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. agent
  n = n + redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. ARGV[2])
  if redis.call('ZCARD', key) == 0 then
    redis.call('SREM', KEYS[1], agent)
  end
end
return n
