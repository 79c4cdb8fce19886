-- Stores a new pending handoff unless an open one has the same dedupe key. KEYS: seq counter.
-- ARGV: base, dedupe key, expires, created, then field/value pairs. Returns {created (1/0), handoff reply}.
local base, dedupe = ARGV[1], ARGV[2]
if dedupe ~= '' then
  local open = redis.call('HGET', base .. 'ho-open', dedupe)
  if open then
    return { 0, ho_reply(base, open) }
  end
end
local s = string.format('%012d', redis.call('INCR', KEYS[1]))
redis.call('HSET', ho_key(base, s), 'seq', s, 'status', 'PENDING', 'dedupe', dedupe, 'expires', ARGV[3], 'created',
  ARGV[4], 'updated', ARGV[4], 'returned', '0', 'acceptedBy', '', 'note', '', unpack(ARGV, 5))
redis.call('ZADD', base .. 'ho-st:PENDING', tonumber(s), s)
redis.call('ZADD', base .. 'ho-due', ARGV[3], s)
if dedupe ~= '' then
  redis.call('HSET', base .. 'ho-open', dedupe, s)
end
return { 1, ho_reply(base, s) }
