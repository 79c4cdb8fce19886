-- Active grants of one holder. KEYS: the holder's index. ARGV: base, holder, now. Seven strings per grant.
local base, holder, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local out = {}
for _, n in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local l = lease_get(base, n)
  if lease_active(l, now) and l.holder == holder then
    lease_flat(l, out)
  end
end
return out
