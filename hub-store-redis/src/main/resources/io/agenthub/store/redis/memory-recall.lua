-- Counts one recall of each live entry named. KEYS: ids, unrecalled. ARGV: base, now, ids... Returns how many were
-- counted. A recalled entry leaves `unrecalled`, so decay never removes it.
local n = 0
for i = 3, #ARGV do
  local s = redis.call('HGET', KEYS[1], ARGV[i])
  if s then
    local key = ARGV[1] .. 'e:' .. s
    if redis.call('HEXISTS', key, 'deleted') == 0 then
      redis.call('HINCRBY', key, 'recalls', 1)
      redis.call('HSET', key, 'recalled', ARGV[2])
      redis.call('ZREM', KEYS[2], s)
      n = n + 1
    end
  end
end
return n
