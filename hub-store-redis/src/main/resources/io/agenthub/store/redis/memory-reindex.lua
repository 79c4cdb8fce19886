-- Reindexes one live entry written by older code (index version 1 or 2): replaces its postings with the given stemmed
-- ones, adjusts the BM25 length, gives it its fingerprint if no live entry has that one, lists it for decay if it was
-- never recalled, and counts it against its author's memory quota (by:<author>) unless it is counted already (has
-- `bytes`). KEYS: stats, words, fps, unrecalled. ARGV: base, seq, fingerprint, length, content bytes (UTF-8), then
-- word/frequency pairs. Returns 1, or 0 if the entry is missing or deleted. Running it twice changes nothing more.
local base, s = ARGV[1], ARGV[2]
local key = base .. 'e:' .. s
local v = redis.call('HMGET', key, 'deleted', 'words', 'len', 'recalls', 'updated', 'created', 'fp', 'id', 'author',
  'bytes')
if v[1] or not v[8] then
  return 0
end
for w in string.gmatch(v[2] or '', '%S+') do
  local postings = base .. 'w:' .. w
  redis.call('HDEL', postings, s)
  if redis.call('HLEN', postings) == 0 then
    redis.call('ZREM', KEYS[2], w)
  end
end
local words = {}
for i = 6, #ARGV - 1, 2 do
  redis.call('HSET', base .. 'w:' .. ARGV[i], s, ARGV[i + 1])
  redis.call('ZADD', KEYS[2], 0, ARGV[i])
  words[#words + 1] = ARGV[i]
end
redis.call('HSET', key, 'words', table.concat(words, ' '), 'len', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'len', tonumber(ARGV[4]) - (tonumber(v[3]) or 0))
if not v[7] and redis.call('HSETNX', KEYS[3], ARGV[3], s) == 1 then
  redis.call('HSET', key, 'fp', ARGV[3])
end
if not v[10] then
  local usage = base .. 'by:' .. v[9]
  redis.call('HSET', key, 'bytes', ARGV[5])
  redis.call('HINCRBY', usage, 'n', 1)
  redis.call('HINCRBY', usage, 'b', tonumber(ARGV[5]))
end
if tonumber(v[4]) == 0 then
  redis.call('ZADD', KEYS[4], tonumber(v[5] or v[6]), s)
end
return 1
