-- Soft-deletes entries: records who and when, and takes them out of every index. KEYS: ids, live, stats, words, fps,
-- unrecalled. ARGV: base, deleted by, now, then either 'id' and the entry's id (forget), or 'decay', a time (epoch ms)
-- and a limit: the entries never recalled and last written before that time, oldest first, at most limit.
-- Returns the ids deleted (none if the entry does not exist or was already deleted). Each deleted entry that counts
-- against its author's memory quota (it has `bytes`, see memory-add.lua) is taken off by:<author>.
local base = ARGV[1]

local function release(author, bytes)
  if not author or not bytes then
    return
  end
  local usage = base .. 'by:' .. author
  -- An author without live entries has no usage hash (as after a restore).
  if redis.call('HINCRBY', usage, 'n', -1) <= 0 then
    redis.call('DEL', usage)
  elseif redis.call('HINCRBY', usage, 'b', -tonumber(bytes)) < 0 then
    redis.call('HSET', usage, 'b', 0)
  end
end

local function remove(s)
  local key = base .. 'e:' .. s
  local v = redis.call('HMGET', key, 'deleted', 'category', 'tags', 'words', 'len', 'id', 'fp', 'author', 'bytes')
  if v[1] or not v[6] then
    return nil
  end
  redis.call('HSET', key, 'deleted', ARGV[3], 'deletedBy', ARGV[2])
  release(v[8], v[9])
  redis.call('ZREM', KEYS[2], s)
  redis.call('ZREM', KEYS[6], s)
  if v[7] and redis.call('HGET', KEYS[5], v[7]) == s then
    redis.call('HDEL', KEYS[5], v[7])
  end
  redis.call('HINCRBY', KEYS[3], 'n', -1)
  redis.call('HINCRBY', KEYS[3], 'len', -tonumber(v[5]))
  redis.call('SREM', base .. 'cat:' .. v[2], s)
  for _, tag in ipairs(cjson.decode(v[3])) do
    redis.call('SREM', base .. 'tag:' .. tag, s)
  end
  for w in string.gmatch(v[4], '%S+') do
    local postings = base .. 'w:' .. w
    redis.call('HDEL', postings, s)
    if redis.call('HLEN', postings) == 0 then
      redis.call('ZREM', KEYS[4], w)
    end
  end
  return v[6]
end

local out = {}
if ARGV[4] == 'id' then
  local s = redis.call('HGET', KEYS[1], ARGV[5])
  if s and remove(s) then
    out[1] = ARGV[5]
  end
  return out
end
for _, s in ipairs(redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', '(' .. ARGV[5], 'LIMIT', 0, tonumber(ARGV[6]))) do
  local id = remove(s)
  if id then
    out[#out + 1] = id
  end
end
return out
