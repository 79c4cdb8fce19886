-- The newest `limit` messages of one index, oldest first. KEYS: index, bodies. ARGV: limit.
local newest = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', '-inf', 'LIMIT', 0, tonumber(ARGV[1]))
local cursors = {}
for i = #newest, 1, -1 do
  cursors[#cursors + 1] = newest[i]
end
return message_bodies(KEYS[2], cursors)
