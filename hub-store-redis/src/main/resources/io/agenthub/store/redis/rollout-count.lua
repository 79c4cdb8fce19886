-- Counts one outcome in a pool's current window (see RolloutStore.count); an outcome of an older window is dropped.
-- KEYS: windows (pool -> window), the pool's counters (<side>:<metric> -> n). ARGV: pool, window, side, metric, ms.
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('HINCRBY', KEYS[2], ARGV[3] .. ':' .. ARGV[4], 1)
if tonumber(ARGV[5]) > 0 then
  redis.call('HINCRBY', KEYS[2], ARGV[3] .. ':ms', ARGV[5])
end
return 1
