-- Takes up to ARGV[4] tokens (at least one) from a rate limiter's bucket, refilled for the time since its last use, in
-- one step. KEYS: the bucket (hash: t = tokens, at = epoch ms of the last refill). ARGV: now (epoch ms), per minute,
-- burst, most tokens wanted (absent: 1).
-- Returns {tokens taken, 0}, or {0, milliseconds until a whole token is there} (nothing is written then).
local now, per, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local wanted = math.max(1, tonumber(ARGV[4] or '1'))
local rate = per / 60000
local v = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens, at = burst, now
if v[1] then
  tokens, at = tonumber(v[1]), tonumber(v[2])
end
-- A node whose clock is behind the last use adds nothing (and takes nothing back).
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate)
  at = now
end
if tokens < 1 then
  return { 0, math.max(1, math.ceil((1 - tokens) / rate)) }
end
local taken = math.min(wanted, math.floor(tokens))
tokens = tokens - taken
redis.call('HSET', KEYS[1], 't', string.format('%.6f', tokens), 'at', string.format('%d', at))
-- An untouched bucket is full again after this long; then it is as good as absent (Redis's own clock expires it).
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate) + 1000)
return { taken, 0 }
