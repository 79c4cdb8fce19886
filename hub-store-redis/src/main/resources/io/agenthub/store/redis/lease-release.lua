-- Ends the grant only while `token` is the active grant of `holder`. KEYS: ends.
-- ARGV: base, resource, holder, token, now. Returns lease_outcome.
local base, name, holder, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now = tonumber(ARGV[5])
local l = lease_get(base, name)
if l and l.token == token and l.holder == holder and lease_active(l, now) then
  lease_end(base, KEYS[1], l, ARGV[5])
  return lease_outcome(1, l)
end
return lease_outcome(0, l)
