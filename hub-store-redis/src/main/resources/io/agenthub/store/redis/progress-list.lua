-- Every progress record, by agent id. KEYS: ids. ARGV: base of the hashes. Returns id, last, stalled ('' for none).
local out = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local v = redis.call('HMGET', ARGV[1] .. id, 'last', 'stalled')
  out[#out + 1] = id
  out[#out + 1] = v[1] or ''
  out[#out + 1] = v[2] or ''
end
return out
