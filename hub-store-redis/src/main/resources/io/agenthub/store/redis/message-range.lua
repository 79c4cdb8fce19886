-- Messages of one index with cursor > after, oldest first. KEYS: index, bodies. ARGV: after, limit.
local cursors = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'LIMIT', 0, tonumber(ARGV[2]))
return message_bodies(KEYS[2], cursors)
