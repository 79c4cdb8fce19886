-- Lifts a scope's halt and records who acknowledged it, in one step. KEYS: halts, acknowledgements.
-- ARGV: scope, by, note, at. Returns the lifted halt's JSON, or an empty list if none was in force.
local halt = redis.call('HGET', KEYS[1], ARGV[1])
if not halt then
  return {}
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('LPUSH', KEYS[2], cjson.encode({ halt = halt, by = ARGV[2], note = ARGV[3], at = ARGV[4] }))
return { halt }
