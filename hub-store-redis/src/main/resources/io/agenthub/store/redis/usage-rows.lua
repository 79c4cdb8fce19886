-- Every usage row of the days from..to. KEYS: days. ARGV: base, from, to.
-- Returns day, row id, then the six counters, per row.
local base = ARGV[1]
local out = {}
for _, day in ipairs(redis.call('ZRANGEBYLEX', KEYS[1], '[' .. ARGV[2], '[' .. ARGV[3])) do
  for _, row in ipairs(redis.call('SMEMBERS', base .. 'rows:' .. day)) do
    local v = redis.call('HMGET', base .. 'row:' .. day .. ':' .. row, 'calls', 'input', 'output', 'cacheRead',
      'cacheWrite', 'cost')
    out[#out + 1] = day
    out[#out + 1] = row
    for i = 1, 6 do
      out[#out + 1] = v[i] or '0'
    end
  end
end
return out
