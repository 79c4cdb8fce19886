-- Active grants overlapping a resource, any holder. KEYS: names. ARGV: base, resource, now. Seven strings per grant.
local out = {}
for _, l in ipairs(lease_overlapping(ARGV[1], KEYS[1], ARGV[2], tonumber(ARGV[3]))) do
  lease_flat(l, out)
end
return out
