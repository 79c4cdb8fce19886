-- One step of retention: deletes messages created before a time, then all but the newest `cap` chat messages of each
-- channel, each with its inbox entries, at most `max` messages in all (the caller repeats until a step deletes fewer).
-- KEYS: bodies, all, created, chat, channels. ARGV: base, older-than (epoch ms), cap, max.
-- Returns how many messages were deleted, then for each channel that lost messages its name and the highest cursor
-- deleted in it (so that copies of the channel in memory let go of what is gone).
local base, cap, max = ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[4])
local deleted = 0
local highest = {}
local function delete(id)
  local json = redis.call('HGET', KEYS[1], id)
  if not json then
    return
  end
  local m = cjson.decode(json)
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  if m.channel ~= '' then
    redis.call('ZREM', KEYS[4], id)
    redis.call('ZREM', base .. 'ch:' .. m.channel, id)
    local cursor = tonumber(id)
    if highest[m.channel] == nil or tonumber(highest[m.channel]) < cursor then
      highest[m.channel] = id
    end
  end
  if m.to ~= '' then
    redis.call('ZREM', base .. 'in:' .. m.to, id)
  end
  for _, agent in ipairs(m.mentions) do
    redis.call('ZREM', base .. 'in:' .. agent, id)
  end
  deleted = deleted + 1
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[2], 'LIMIT', 0, max)) do
  delete(id)
end
for _, channel in ipairs(redis.call('ZRANGE', KEYS[5], 0, -1)) do
  if deleted >= max then
    break
  end
  local key = base .. 'ch:' .. channel
  local excess = math.min(redis.call('ZCARD', key) - cap, max - deleted)
  if excess > 0 then
    for _, id in ipairs(redis.call('ZRANGE', key, 0, excess - 1)) do
      delete(id)
    end
  end
  if redis.call('ZCARD', key) == 0 then
    redis.call('ZREM', KEYS[5], channel)
  end
end
local reply = {deleted}
for channel, id in pairs(highest) do
  reply[#reply + 1] = channel
  reply[#reply + 1] = id
end
return reply
