-- Adds counter deltas to one minute bucket. KEYS: the bucket hash, the bucket index.
-- ARGV: bucket start (ms), then name, delta pairs. All deltas or none: one script.
for i = 2, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[1])
return 1
