-- Revokes a subject's active credentials of one kind. KEYS: subject index. ARGV: base, at. Returns how many.
local n = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. id
  if redis.call('HEXISTS', key, 'revoked') == 0 then
    redis.call('HSET', key, 'revoked', ARGV[2])
    n = n + 1
  end
end
return n
