-- Adds a usage tally to its (day, agent, pool, model) row and to the day totals of the agent, the pool (if any) and
-- the fleet, in one step, and returns the three totals right after. KEYS: row, day's rows, days, agent total,
-- pool total ('' key unused when no pool), fleet total. ARGV: day, row id, pool flag ('1' if a pool), then the six
-- counters. Returns 18 numbers: agent, pool, fleet totals.
local fields = { 'calls', 'input', 'output', 'cacheRead', 'cacheWrite', 'cost' }
local function add(key)
  for i, f in ipairs(fields) do
    redis.call('HINCRBY', key, f, ARGV[3 + i])
  end
end
add(KEYS[1])
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], 0, ARGV[1])
add(KEYS[4])
if ARGV[3] == '1' then
  add(KEYS[5])
end
add(KEYS[6])
local out = {}
for _, key in ipairs({ KEYS[4], KEYS[5], KEYS[6] }) do
  local v = redis.call('HMGET', key, unpack(fields))
  for i = 1, 6 do
    out[#out + 1] = v[i] or '0'
  end
end
return out
