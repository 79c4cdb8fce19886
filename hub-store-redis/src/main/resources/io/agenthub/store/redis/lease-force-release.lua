-- Ends the active grant on a resource whoever holds it. KEYS: ends. ARGV: base, resource, now.
-- Returns the ended grant (seven strings, released still '') or an empty list.
local base, name = ARGV[1], ARGV[2]
local l = lease_get(base, name)
if not lease_active(l, tonumber(ARGV[3])) then
  return {}
end
local before = lease_flat(l, {})
lease_end(base, KEYS[1], l, ARGV[3])
return before
