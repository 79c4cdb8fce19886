-- Every credential of one kind. KEYS: kind index. ARGV: base of credential hashes. One field list each.
local out = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  out[#out + 1] = redis.call('HGETALL', ARGV[1] .. id)
end
return out
