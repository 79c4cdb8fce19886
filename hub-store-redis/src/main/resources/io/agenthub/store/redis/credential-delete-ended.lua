-- Deletes the credentials of one kind that were no longer accepted at a time (revoked or expired at or before it),
-- with their entries in the by-hash, subject and kind indexes. Only credentials created by then can have ended by then.
-- KEYS: kind index, by-hash index. ARGV: credential base, subject index base of the kind, before (epoch ms).
-- Returns how many.
local before = tonumber(ARGV[3])
local n = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])) do
  local key = ARGV[1] .. id
  local fields = redis.call('HMGET', key, 'revoked', 'hash', 'subject')
  if fields[1] and tonumber(fields[1]) <= before then
    redis.call('DEL', key)
    redis.call('HDEL', KEYS[2], fields[2])
    redis.call('SREM', ARGV[2] .. fields[3], id)
    redis.call('ZREM', KEYS[1], id)
    n = n + 1
  end
end
return n
