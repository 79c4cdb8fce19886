-- Removes a fleet-wide hold if it has ended, in one step, so that exactly one caller learns that it did.
-- KEYS: the hold (hash: since, until = epoch ms, count). ARGV: now (epoch ms). Returns 1 if removed, else 0.
local untilMs = redis.call('HGET', KEYS[1], 'until')
if untilMs and tonumber(untilMs) <= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
