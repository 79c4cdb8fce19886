-- Stores a memory entry and indexes it, unless its id was ever used. KEYS: ids, seq, live, stats, words.
-- ARGV: base, id, category, content, tags (JSON), author, created, recalls, recalled ('' for never), length,
-- tag count, content bytes, quota entries, quota bytes (0: none), the tags, then word/frequency pairs.
-- Returns 1, 0 if the id exists, or -1 if the author's live entries would pass the quota (nothing is written).
-- Index: w:<word> is a hash from entry to weighted term frequency, `words` lists words that have postings (for
-- prefix queries), tag:<tag> and cat:<category> are sets of entries, `live` orders entries by creation time, and
-- `stats` keeps the entry count and total length for BM25, by:<author> the author's live entries (n) and bytes (b). Entries are e:<seq> with seq zero-padded, so that
-- members sort by seq as strings too.
local base = ARGV[1]
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then
  return 0
end
local author = base .. 'by:' .. ARGV[6]
local bytes, max_n, max_b = tonumber(ARGV[12]), tonumber(ARGV[13]), tonumber(ARGV[14])
local used = redis.call('HMGET', author, 'n', 'b')
local n, b = tonumber(used[1] or '0') + 1, tonumber(used[2] or '0') + bytes
if (max_n > 0 and n > max_n) or (max_b > 0 and b > max_b) then
  return -1
end
local s = string.format('%012d', redis.call('INCR', KEYS[2]))
local ntags = tonumber(ARGV[11])
local words = {}
for i = 15 + ntags, #ARGV - 1, 2 do
  local w = ARGV[i]
  redis.call('HSET', base .. 'w:' .. w, s, ARGV[i + 1])
  redis.call('ZADD', KEYS[5], 0, w)
  words[#words + 1] = w
end
redis.call('HSET', base .. 'e:' .. s, 'id', ARGV[2], 'category', ARGV[3], 'content', ARGV[4], 'tags', ARGV[5],
  'author', ARGV[6], 'created', ARGV[7], 'recalls', ARGV[8], 'recalled', ARGV[9], 'len', ARGV[10],
  'words', table.concat(words, ' '), 'bytes', ARGV[12])
redis.call('HSET', author, 'n', n, 'b', b)
redis.call('HSET', KEYS[1], ARGV[2], s)
redis.call('ZADD', KEYS[3], ARGV[7], s)
redis.call('HINCRBY', KEYS[4], 'n', 1)
redis.call('HINCRBY', KEYS[4], 'len', tonumber(ARGV[10]))
redis.call('SADD', base .. 'cat:' .. ARGV[3], s)
for i = 15, 14 + ntags do
  redis.call('SADD', base .. 'tag:' .. ARGV[i], s)
end
return 1
