-- Active grants. KEYS: ends. ARGV: base, now. Returns seven strings per grant, in no particular order.
local base, now = ARGV[1], tonumber(ARGV[2])
local out = {}
for _, n in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[2], '+inf')) do
  local l = lease_get(base, n)
  if lease_active(l, now) then
    lease_flat(l, out)
  end
end
return out
