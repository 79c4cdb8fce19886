-- Sets a new expiry only while `token` is the active grant of `holder`. KEYS: ends.
-- ARGV: base, resource, holder, token, expires (now + ttl), now. Returns lease_outcome.
local base, name, holder, token, expires = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local now = tonumber(ARGV[6])
local l = lease_get(base, name)
if l and l.token == token and l.holder == holder and lease_active(l, now) then
  redis.call('HSET', base .. 'r:' .. name, 'expires', expires)
  redis.call('ZADD', KEYS[1], expires, name)
  l.expires = expires
  return lease_outcome(1, l)
end
return lease_outcome(0, l)
