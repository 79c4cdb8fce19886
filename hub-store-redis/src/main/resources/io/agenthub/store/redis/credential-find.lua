-- The credential with a token hash. KEYS: by-hash index. ARGV: base of credential hashes, token hash.
local id = redis.call('HGET', KEYS[1], ARGV[2])
if not id then
  return {}
end
return redis.call('HGETALL', ARGV[1] .. id)
