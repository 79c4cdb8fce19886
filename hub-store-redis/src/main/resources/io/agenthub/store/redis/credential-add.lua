-- Stores a credential unless its id or hash exists. KEYS: credential hash, by-hash index, subject index, kind index.
-- ARGV: id, token hash, created (epoch ms), then field/value pairs. Returns 1, or 0 for a duplicate.
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
return 1
