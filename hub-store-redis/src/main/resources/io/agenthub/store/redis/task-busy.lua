-- The holders of active claims by pool (see TaskStore.busyAgents). KEYS: t-claimed. ARGV: base, now, max.
-- Returns {pool, holder, pool, holder, ...}, one pair per active claim, latest expiry first.
local base = ARGV[1]
local ids = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local v = redis.call('HMGET', base .. 't:' .. id, 'pool', 'holder')
  if v[1] and v[2] then
    out[#out + 1] = v[1]
    out[#out + 1] = v[2]
  end
end
return out
