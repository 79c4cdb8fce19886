-- The newest self-test runs. KEYS: runs hash, runs by start. ARGV: how many. Returns their JSON, newest first.
local out = {}
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[2], 0, tonumber(ARGV[1]) - 1)) do
  out[#out + 1] = redis.call('HGET', KEYS[1], id)
end
return out
