-- Sums counters over buckets with from <= start < to. KEYS: the bucket index. ARGV: bucket base, from, to (ms).
-- Returns flat name, total pairs (totals as strings).
local buckets = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[2], '(' .. ARGV[3])
local sums = {}
local names = {}
for _, b in ipairs(buckets) do
  local flat = redis.call('HGETALL', ARGV[1] .. b)
  for i = 1, #flat, 2 do
    local name = flat[i]
    if sums[name] == nil then
      sums[name] = 0
      names[#names + 1] = name
    end
    sums[name] = sums[name] + tonumber(flat[i + 1])
  end
end
local out = {}
for _, name in ipairs(names) do
  out[#out + 1] = name
  out[#out + 1] = string.format('%d', sums[name])
end
return out
