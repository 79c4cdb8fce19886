-- The newest alert events. KEYS: events hash, events by seq. ARGV: how many. Returns flat seq, JSON pairs.
local seqs = redis.call('ZREVRANGE', KEYS[2], 0, tonumber(ARGV[1]) - 1)
local out = {}
for _, seq in ipairs(seqs) do
  out[#out + 1] = seq
  out[#out + 1] = redis.call('HGET', KEYS[1], seq)
end
return out
