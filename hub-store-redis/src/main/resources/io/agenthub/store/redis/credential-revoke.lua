-- Revokes one credential from a time on (which may lie in the future), if it is still accepted then: never revoked, or
-- revoked only from a later time (a scheduled revocation is brought forward, never put off).
-- KEYS: credential hash. ARGV: at (epoch ms). Returns 1, or 0 if the credential is missing or refused by then.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local revoked = redis.call('HGET', KEYS[1], 'revoked')
if revoked and tonumber(revoked) <= tonumber(ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[1], 'revoked', ARGV[1])
return 1
