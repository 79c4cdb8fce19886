-- Admits a throttled agent's new work at most once per interval: checks the last admission and records this one in
-- one step. KEYS: the agent's throttle key. ARGV: now (epoch ms), interval (ms), key expiry (ms).
-- Returns 0 if admitted, else the epoch ms from which the next admission is allowed.
local now, span = tonumber(ARGV[1]), tonumber(ARGV[2])
local last = redis.call('GET', KEYS[1])
if last then
  last = tonumber(last)
  -- A last admission at least an interval in the future is from a clock that was set back: it blocks nobody.
  if now > last - span and now < last + span then
    return last + span
  end
end
-- The expiry (Redis's own clock) only keeps idle agents' keys from piling up; the check above judges by the hub's.
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 0
