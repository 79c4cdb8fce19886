-- Records one error report. KEYS: issue hash, its event list, the issue index, the event counter, the hourly hash.
-- ARGV: id, at (ms), level, level rank (0 = most severe), title, culprit, agent, message, events to keep,
-- most agents to list, the event's JSON, the hourly field. Creates or updates the issue (count, last seen, worst
-- level, reopen, agents, last message), appends the event and trims the history, and counts the hour: one step.
-- Returns the issue's fields followed by created and reopened flags.
local created = 0
local reopened = 0
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'id', ARGV[1], 'title', ARGV[5], 'culprit', ARGV[6], 'level', ARGV[3],
    'rank', ARGV[4], 'status', 'UNRESOLVED', 'count', 1, 'first', ARGV[2], 'last', ARGV[2],
    'agents', cjson.encode({ARGV[7]}), 'message', ARGV[8], 'changedAt', ARGV[2], 'changedBy', '')
  created = 1
else
  redis.call('HINCRBY', KEYS[1], 'count', 1)
  if tonumber(ARGV[2]) > tonumber(redis.call('HGET', KEYS[1], 'last')) then
    redis.call('HSET', KEYS[1], 'last', ARGV[2])
  end
  if tonumber(ARGV[4]) < tonumber(redis.call('HGET', KEYS[1], 'rank')) then
    redis.call('HSET', KEYS[1], 'level', ARGV[3], 'rank', ARGV[4])
  end
  if redis.call('HGET', KEYS[1], 'status') == 'RESOLVED' then
    redis.call('HSET', KEYS[1], 'status', 'UNRESOLVED', 'changedAt', ARGV[2], 'changedBy', 'hub')
    reopened = 1
  end
  local agents = cjson.decode(redis.call('HGET', KEYS[1], 'agents'))
  local present = false
  for _, a in ipairs(agents) do
    if a == ARGV[7] then
      present = true
    end
  end
  if not present and #agents < tonumber(ARGV[10]) then
    agents[#agents + 1] = ARGV[7]
    redis.call('HSET', KEYS[1], 'agents', cjson.encode(agents))
  end
  redis.call('HSET', KEYS[1], 'message', ARGV[8])
end
local seq = redis.call('INCR', KEYS[4])
redis.call('LPUSH', KEYS[2], string.format('%d', seq) .. '|' .. ARGV[11])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[9]) - 1)
redis.call('ZADD', KEYS[3], redis.call('HGET', KEYS[1], 'last'), ARGV[1])
redis.call('HINCRBY', KEYS[5], ARGV[12], 1)
local out = redis.call('HGETALL', KEYS[1])
out[#out + 1] = 'created'
out[#out + 1] = tostring(created)
out[#out + 1] = 'reopened'
out[#out + 1] = tostring(reopened)
return out
