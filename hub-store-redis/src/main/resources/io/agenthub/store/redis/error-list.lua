-- Every issue, most recently seen first. KEYS: the issue index. ARGV: the issue base.
-- Returns one HGETALL reply per issue.
local ids = redis.call('ZREVRANGE', KEYS[1], 0, -1)
local out = {}
for _, id in ipairs(ids) do
  out[#out + 1] = redis.call('HGETALL', ARGV[1] .. 'i:' .. id)
end
return out
