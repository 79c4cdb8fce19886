-- The newest entries of one agent's trail before a position, newest first. Members are '<seq, 20 digits>|<JSON>' and
-- scores are times, so entries of one millisecond sort by seq. KEYS: the agent's trail. ARGV: since (millis), the
-- position's time ('+inf' for the newest), the position's seq as 20 digits ('' for the newest), limit.
-- Returns member, score pairs. Reads the position's own millisecond whole (entries of one agent in one millisecond),
-- then at most `limit` entries below it.
local limit = tonumber(ARGV[4])
local out = {}
local n = 0
local max = ARGV[2]
if ARGV[3] ~= '' then
  if tonumber(ARGV[2]) < tonumber(ARGV[1]) then
    return out
  end
  for _, m in ipairs(redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[2], ARGV[2])) do
    if n >= limit then
      break
    end
    if string.sub(m, 1, 20) < ARGV[3] then
      out[#out + 1] = m
      out[#out + 1] = ARGV[2]
      n = n + 1
    end
  end
  max = '(' .. ARGV[2]
end
if n < limit then
  local rest = redis.call('ZREVRANGEBYSCORE', KEYS[1], max, ARGV[1], 'WITHSCORES', 'LIMIT', 0, limit - n)
  for _, v in ipairs(rest) do
    out[#out + 1] = v
  end
end
return out
