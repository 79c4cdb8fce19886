-- Forgets grants that ended (released or expired) before a cut-off, at most `batch` of them.
-- KEYS: names, ends. ARGV: base, before, batch. Returns how many were forgotten.
local base = ARGV[1]
local n = 0
for _, name in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))) do
  local holder = redis.call('HGET', base .. 'r:' .. name, 'holder')
  if holder then
    redis.call('SREM', base .. 'h:' .. holder, name)
  end
  redis.call('DEL', base .. 'r:' .. name)
  redis.call('ZREM', KEYS[1], name)
  redis.call('ZREM', KEYS[2], name)
  n = n + 1
end
return n
