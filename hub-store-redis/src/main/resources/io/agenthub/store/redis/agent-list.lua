-- Every agent, ordered by id. KEYS: ids. ARGV: base of the agent hashes. Returns one field list per agent.
local out = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local fields = redis.call('HGETALL', ARGV[1] .. id)
  if #fields > 0 then
    out[#out + 1] = fields
  end
end
return out
