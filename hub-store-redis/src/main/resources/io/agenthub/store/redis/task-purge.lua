-- Retention (see TaskStore.purgeEndedBefore): forgets at most `max` final tasks that ended before a time, earliest
-- first, with their history and dependency sets, read from t-ended so that the cost follows what goes.
-- KEYS: lease names, lease ends, fence, t-all. ARGV: base, before (exclusive), max. Returns how many went.
local base, before, max = ARGV[1], ARGV[2], tonumber(ARGV[3])
local ended_key = base .. 't-ended'
local n = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', ended_key, '-inf', '(' .. before, 'LIMIT', 0, max)) do
  local t = task_get(base, id)
  if t and (t.state == 'done' or t.state == 'cancelled' or t.state == 'dead') then
    for _, dep in ipairs(cjson.decode(t.spec).dependsOn or {}) do
      redis.call('SREM', base .. 't-deps:' .. dep, id)
    end
    redis.call('DEL', base .. 't:' .. id, base .. 't-ev:' .. id, base .. 't-deps:' .. id)
    redis.call('ZREM', KEYS[4], id)
    n = n + 1
  end
  redis.call('ZREM', ended_key, id)
end
return n
