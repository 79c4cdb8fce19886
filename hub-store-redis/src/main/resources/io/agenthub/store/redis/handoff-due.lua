-- Pending handoffs due by now, oldest expiry first (then lowest seq), at most `limit`. KEYS: due index.
-- ARGV: base, now, limit.
local out = {}
for _, s in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))) do
  out[#out + 1] = ho_reply(ARGV[1], s)
end
return out
