-- Records an alert unless one exists for (day, scope, level); a HALT alert also puts a halt of the scope in force
-- unless one is. KEYS: alerts, alert index, halts. ARGV: alert id, alert JSON, halt flag, scope, halt JSON.
-- Returns 1 for the one caller that raised it.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], 0, ARGV[1])
if ARGV[3] == '1' then
  redis.call('HSETNX', KEYS[3], ARGV[4], ARGV[5])
end
return 1
