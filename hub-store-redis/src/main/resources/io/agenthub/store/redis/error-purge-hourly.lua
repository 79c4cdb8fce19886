-- Deletes hourly counts of hours before a time. KEYS: the hourly hash. ARGV: before (ms). Returns how many.
local flat = redis.call('HGETALL', KEYS[1])
local n = 0
for i = 1, #flat, 2 do
  local hour = tonumber(string.match(flat[i], '^(%d+)|'))
  if hour < tonumber(ARGV[1]) then
    redis.call('HDEL', KEYS[1], flat[i])
    n = n + 1
  end
end
return n
