-- Deletes buckets that start before a time. KEYS: the bucket index. ARGV: bucket base, before (ms).
-- Returns how many counter rows (bucket fields) were deleted.
local buckets = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
local n = 0
for _, b in ipairs(buckets) do
  n = n + redis.call('HLEN', ARGV[1] .. b)
  redis.call('DEL', ARGV[1] .. b)
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
return n
