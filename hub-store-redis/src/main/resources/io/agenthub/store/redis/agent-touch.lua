-- Marks an agent seen. KEYS: agent hash. ARGV: now. Returns 1, or 0 for an unknown agent.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
agent_seen(KEYS[1], ARGV[1])
return 1
