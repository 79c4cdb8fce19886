-- A live entry's fields, or an empty list. KEYS: ids. ARGV: base, id.
local s = redis.call('HGET', KEYS[1], ARGV[2])
if not s then
  return {}
end
local key = ARGV[1] .. 'e:' .. s
if redis.call('HEXISTS', key, 'deleted') == 1 then
  return {}
end
return redis.call('HGETALL', key)
