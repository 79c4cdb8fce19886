-- Marks many agents seen in one step: the touches a node gathered over one interval. KEYS: agent hashes. ARGV: the
-- time each was seen (epoch ms), in the same order. Unknown agents are skipped. Returns how many were marked.
local n = 0
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then
    agent_seen(key, ARGV[i])
    n = n + 1
  end
end
return n
