-- An agent's newest `limit` checkpoints, newest first. KEYS: versions, data. ARGV: limit.
-- Returns version, json, version, json...
local ids = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
local out = {}
if #ids == 0 then
  return out
end
local values = redis.call('HMGET', KEYS[2], unpack(ids))
for i, id in ipairs(ids) do
  if values[i] then
    out[#out + 1] = id
    out[#out + 1] = values[i]
  end
end
return out
