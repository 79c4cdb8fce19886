-- Handoffs with one of the given statuses, newest first, at most `limit`. KEYS: the handoff counter (it routes the
-- script to the lease slot in a cluster). ARGV: base, limit, statuses...
local base, limit = ARGV[1], tonumber(ARGV[2])
local seqs = {}
for i = 3, #ARGV do
  for _, s in ipairs(redis.call('ZREVRANGE', base .. 'ho-st:' .. ARGV[i], 0, limit - 1)) do
    seqs[#seqs + 1] = s
  end
end
table.sort(seqs, function(a, b) return a > b end)
local out = {}
for i = 1, math.min(limit, #seqs) do
  out[#out + 1] = ho_reply(base, seqs[i])
end
return out
