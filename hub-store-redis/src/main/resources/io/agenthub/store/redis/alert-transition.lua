-- Replaces a rule's state if its version is the expected one, and appends the event (if any) in the same step.
-- KEYS: versions hash, states hash, event counter, events hash, events by seq, events by time.
-- ARGV: rule, expected version (0 for none), the new state's JSON (already carrying expected + 1), the event's JSON
-- (empty for none), the event's time (ms). Returns -1 if refused, 0 if applied without an event, else the event's seq.
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if current ~= tonumber(ARGV[2]) then
  return -1
end
redis.call('HSET', KEYS[1], ARGV[1], current + 1)
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
if ARGV[4] == '' then
  return 0
end
local seq = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[4], seq, ARGV[4])
redis.call('ZADD', KEYS[5], seq, seq)
redis.call('ZADD', KEYS[6], ARGV[5], seq)
return seq
