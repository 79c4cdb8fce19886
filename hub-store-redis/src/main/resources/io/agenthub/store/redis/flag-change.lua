-- Sets or deletes a feature flag and raises the flags' version in one step (see FlagStore).
-- KEYS: the flags hash (key -> JSON), the version counter. ARGV: 'put' or 'delete', the key, the JSON (put).
-- Returns the new version, or -1 when there was no flag to delete.
if ARGV[1] == 'put' then
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
elseif redis.call('HDEL', KEYS[1], ARGV[2]) == 0 then
  return -1
end
return redis.call('INCR', KEYS[2])
