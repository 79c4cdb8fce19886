-- Deletes alert events recorded before a time. KEYS: events hash, events by seq, events by time. ARGV: before (ms).
-- Returns how many.
local seqs = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[1])
for _, seq in ipairs(seqs) do
  redis.call('HDEL', KEYS[1], seq)
  redis.call('ZREM', KEYS[2], seq)
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[1])
return #seqs
