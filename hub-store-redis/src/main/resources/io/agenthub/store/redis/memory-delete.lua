-- Soft-deletes an entry: records who and when, and takes it out of every index. KEYS: ids, live, stats, words.
-- ARGV: base, id, deleted by, now. Returns 1, or 0 if it does not exist or was already deleted.
local base = ARGV[1]
local s = redis.call('HGET', KEYS[1], ARGV[2])
if not s then
  return 0
end
local key = base .. 'e:' .. s
local v = redis.call('HMGET', key, 'deleted', 'category', 'tags', 'words', 'len', 'author', 'bytes')
if v[1] then
  return 0
end
-- The author's quota usage (entries restored from a snapshot before quotas existed have no byte count: 0).
-- An author without live entries has no usage key (as after a restore).
local author = base .. 'by:' .. v[6]
if redis.call('HINCRBY', author, 'n', -1) <= 0 then
  redis.call('DEL', author)
elseif redis.call('HINCRBY', author, 'b', -tonumber(v[7] or '0')) < 0 then
  redis.call('HSET', author, 'b', 0)
end
redis.call('HSET', key, 'deleted', ARGV[4], 'deletedBy', ARGV[3])
redis.call('ZREM', KEYS[2], s)
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
return 1
