-- Extends a fleet-wide hold, or starts one if there is none or the one there has ended, in one step.
-- KEYS: the hold (hash: since, until = epoch ms, count). ARGV: until (epoch ms), now (epoch ms), keep (ms after until).
-- Returns {started (1 or 0), since, until, count}.
local wanted, now, keep = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 'since', 'until', 'count')
local since, untilMs, count, started
if v[2] and tonumber(v[2]) > now then
  since, untilMs, count, started = tonumber(v[1]), math.max(tonumber(v[2]), wanted), tonumber(v[3]) + 1, 0
else
  since, untilMs, count, started = now, wanted, 1, 1
end
redis.call('HSET', KEYS[1], 'since', string.format('%d', since), 'until', string.format('%d', untilMs),
  'count', string.format('%d', count))
-- An ended hold stays a while, so that a node can still see and announce its end; then Redis's own clock drops it.
redis.call('PEXPIRE', KEYS[1], math.max(1, untilMs - now) + keep)
return {started, string.format('%d', since), string.format('%d', untilMs), string.format('%d', count)}
