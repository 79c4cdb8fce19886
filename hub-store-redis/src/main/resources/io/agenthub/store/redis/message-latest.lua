-- The newest `limit` messages of one index below a cursor, oldest first. KEYS: index, bodies. ARGV: the exclusive
-- upper bound as a score range end ('(42', or '+inf' for the newest), limit.
local newest = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], '-inf', 'LIMIT', 0, tonumber(ARGV[2]))
local cursors = {}
for i = #newest, 1, -1 do
  cursors[#cursors + 1] = newest[i]
end
return message_bodies(KEYS[2], cursors)
