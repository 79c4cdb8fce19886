-- Marks many agents seen in one step: the touches a node gathered over one interval. KEYS: agent hashes. ARGV: the
-- time each was seen (epoch ms), in the same order. Unknown agents are skipped, and so is a touch earlier than the
-- agent's last-seen time: it says nothing new, and written late (kept through an outage of Redis) it must not bring
-- back online an agent that has gone quiet since. Returns how many were marked.
local n = 0
for i, key in ipairs(KEYS) do
  local seen = redis.call('HGET', key, 'seen')
  if seen and tonumber(ARGV[i]) >= tonumber(seen) then
    agent_seen(key, ARGV[i])
    n = n + 1
  end
end
return n
