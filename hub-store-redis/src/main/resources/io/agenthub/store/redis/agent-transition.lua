-- Compare-and-set of presence on (presence, last seen). KEYS: agent hash. ARGV: expected, last seen, next, now.
local v = redis.call('HMGET', KEYS[1], 'presence', 'seen')
if v[1] ~= ARGV[1] or v[2] ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], 'presence', ARGV[3], 'since', ARGV[4])
return 1
