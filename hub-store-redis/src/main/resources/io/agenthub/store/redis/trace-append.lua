-- Appends trail entries in order, each with the next sequence number. KEYS: the counter, the agents set.
-- ARGV: the trail base, then agent, at (ms), JSON triples. Members are '<seq, zero-padded>|<JSON>', so entries of the
-- same millisecond keep their order. Returns how many.
local n = 0
for i = 2, #ARGV, 3 do
  local seq = redis.call('INCR', KEYS[1])
  redis.call('ZADD', ARGV[1] .. ARGV[i], ARGV[i + 1], string.format('%020d', seq) .. '|' .. ARGV[i + 2])
  redis.call('SADD', KEYS[2], ARGV[i])
  n = n + 1
end
return n
