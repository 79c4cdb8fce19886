-- Appends a tier change if the newest one still has the expected sequence number.
-- KEYS: the sequence counter, the changes hash, the log list. ARGV: expected seq (0 for none), the change's JSON.
-- Returns the new sequence number, or -1 if another change came first.
local newest = redis.call('LINDEX', KEYS[3], 0)
local current = newest and tonumber(newest) or 0
if current ~= tonumber(ARGV[1]) then
  return -1
end
local seq = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], seq, ARGV[2])
redis.call('LPUSH', KEYS[3], seq)
return seq
