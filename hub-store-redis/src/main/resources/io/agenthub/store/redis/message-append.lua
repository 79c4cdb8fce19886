-- Appends a message and fans it out to inboxes in one step; its cursor comes from one INCR.
-- KEYS: cursor, bodies, all, created, chat, channels. ARGV: base, json, created (epoch ms), channel ('' for a direct
-- message or notice), then the recipients. Returns the cursor.
local base, channel = ARGV[1], ARGV[4]
local c = redis.call('INCR', KEYS[1])
local id = string.format('%d', c)
redis.call('HSET', KEYS[2], id, ARGV[2])
redis.call('ZADD', KEYS[3], c, id)
redis.call('ZADD', KEYS[4], ARGV[3], id)
if channel ~= '' then
  redis.call('ZADD', KEYS[5], c, id)
  redis.call('ZADD', base .. 'ch:' .. channel, c, id)
  redis.call('ZADD', KEYS[6], 0, channel)
end
for i = 5, #ARGV do
  redis.call('ZADD', base .. 'in:' .. ARGV[i], c, id)
end
return c
