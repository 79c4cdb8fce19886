-- Revokes from a time on (which may lie in the future) a subject's credentials of one kind that are still accepted
-- then: never revoked, or revoked only from a later time (brought forward, never put off).
-- KEYS: subject index. ARGV: base, at (epoch ms). Returns how many.
local at = tonumber(ARGV[2])
local n = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. id
  local revoked = redis.call('HGET', key, 'revoked')
  if not revoked or tonumber(revoked) > at then
    redis.call('HSET', key, 'revoked', ARGV[2])
    n = n + 1
  end
end
return n
