-- Shared by the agent scripts: marks an agent seen at `now` (never moving last-seen backwards) and online.
local function agent_seen(key, now)
  if redis.call('HGET', key, 'presence') ~= 'ONLINE' then
    redis.call('HSET', key, 'presence', 'ONLINE', 'since', now)
  end
  if tonumber(now) > tonumber(redis.call('HGET', key, 'seen')) then
    redis.call('HSET', key, 'seen', now)
  end
end
