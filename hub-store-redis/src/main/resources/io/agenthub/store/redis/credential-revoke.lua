-- Revokes one active credential. KEYS: credential hash. ARGV: at. Returns 1, or 0 if none was active.
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'revoked') == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'revoked', ARGV[1])
return 1
