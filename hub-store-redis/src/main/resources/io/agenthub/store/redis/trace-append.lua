-- Appends a batch of trail entries, grouped by agent, each with the next sequence number in the order the batch was
-- given. KEYS: the counter, the agents set. ARGV: the trail base, the batch size, then per agent: agent, n, and n
-- triples of at (ms), offset in the batch (1-based), entry. Members are '<seq, zero-padded>|<entry>', so entries of
-- the same millisecond keep their order. One INCRBY, one ZADD per agent and one SADD per batch. Returns how many.
local total = tonumber(ARGV[2])
local base = redis.call('INCRBY', KEYS[1], total) - total
local agents = {}
local i = 3
while i <= #ARGV do
  local agent, n = ARGV[i], tonumber(ARGV[i + 1])
  i = i + 2
  local z = {}
  for _ = 1, n do
    z[#z + 1] = ARGV[i]
    z[#z + 1] = string.format('%020d', base + tonumber(ARGV[i + 1])) .. '|' .. ARGV[i + 2]
    i = i + 3
  end
  redis.call('ZADD', ARGV[1] .. agent, unpack(z))
  agents[#agents + 1] = agent
end
if #agents > 0 then
  redis.call('SADD', KEYS[2], unpack(agents))
end
return total
