-- Merges the live entry `from` into the live entry `into` (consolidation). KEYS: ids, live, stats, words, fps,
-- unrecalled. ARGV: base, into id, from id, now, max tags, max authors, from's tags as read (JSON), then per tag of
-- from: the tag, its word count, its words.
-- Returns {} if either is missing or deleted or they are one entry, {'retry'} if from's tags changed since they were
-- read, else the merged entry's fields. `from` is soft-deleted by "hub" exactly as memory-delete.lua does, which
-- takes it off its author's memory quota usage (by:<author>); `into` keeps its content, so its author's usage stays.
local base, now = ARGV[1], tonumber(ARGV[4])
local si, sf = redis.call('HGET', KEYS[1], ARGV[2]), redis.call('HGET', KEYS[1], ARGV[3])
if not si or not sf or si == sf then
  return {}
end
local ki, kf = base .. 'e:' .. si, base .. 'e:' .. sf
local fields = { 'deleted', 'category', 'tags', 'words', 'len', 'fp', 'authors', 'author', 'count', 'recalls',
  'recalled', 'updated', 'created', 'bytes' }
local a, b = redis.call('HMGET', ki, unpack(fields)), redis.call('HMGET', kf, unpack(fields))
if a[1] or b[1] or not a[2] or not b[2] then
  return {}
end
local seen, expected = cjson.decode(b[3]), cjson.decode(ARGV[7])
if #seen ~= #expected then
  return { 'retry' }
end
for k = 1, #seen do
  if seen[k] ~= expected[k] then
    return { 'retry' }
  end
end

-- Remove from.
redis.call('HSET', kf, 'deleted', ARGV[4], 'deletedBy', 'hub')
if b[8] and b[14] then
  local usage = base .. 'by:' .. b[8]
  if redis.call('HINCRBY', usage, 'n', -1) <= 0 then
    redis.call('DEL', usage)
  elseif redis.call('HINCRBY', usage, 'b', -tonumber(b[14])) < 0 then
    redis.call('HSET', usage, 'b', 0)
  end
end
redis.call('ZREM', KEYS[2], sf)
redis.call('ZREM', KEYS[6], sf)
local fromFp = nil
if b[6] and redis.call('HGET', KEYS[5], b[6]) == sf then
  redis.call('HDEL', KEYS[5], b[6])
  fromFp = b[6]
end
redis.call('HINCRBY', KEYS[3], 'n', -1)
redis.call('HINCRBY', KEYS[3], 'len', -tonumber(b[5]))
redis.call('SREM', base .. 'cat:' .. b[2], sf)
for _, tag in ipairs(cjson.decode(b[3])) do
  redis.call('SREM', base .. 'tag:' .. tag, sf)
end
for w in string.gmatch(b[4], '%S+') do
  local postings = base .. 'w:' .. w
  redis.call('HDEL', postings, sf)
  if redis.call('HLEN', postings) == 0 then
    redis.call('ZREM', KEYS[4], w)
  end
end

-- Fold it into into: tags (searchable), authors, counts, times, fingerprint.
local maxTags, maxAuthors = tonumber(ARGV[5]), tonumber(ARGV[6])
local have, list = {}, cjson.decode(a[3])
for _, t in ipairs(list) do
  have[t] = true
end
local indexed, wordList = {}, {}
for w in string.gmatch(a[4], '%S+') do
  indexed[w] = true
  wordList[#wordList + 1] = w
end
local added = 0
local i = 8
while i <= #ARGV do
  local tag, nw = ARGV[i], tonumber(ARGV[i + 1])
  if not have[tag] and #list < maxTags then
    have[tag] = true
    list[#list + 1] = tag
    redis.call('SADD', base .. 'tag:' .. tag, si)
    for j = 1, nw do
      local w = ARGV[i + 1 + j]
      redis.call('HINCRBY', base .. 'w:' .. w, si, 2)
      redis.call('ZADD', KEYS[4], 0, w)
      if not indexed[w] then
        indexed[w] = true
        wordList[#wordList + 1] = w
      end
      added = added + 1
    end
  end
  i = i + 2 + nw
end
local authors = a[7] and cjson.decode(a[7]) or { a[8] }
local known = {}
for _, x in ipairs(authors) do
  known[x] = true
end
for _, x in ipairs(b[7] and cjson.decode(b[7]) or { b[8] }) do
  if not known[x] and #authors < maxAuthors then
    known[x] = true
    authors[#authors + 1] = x
  end
end
local recalls = tonumber(a[10]) + tonumber(b[10])
local recalled = a[11] or ''
if (b[11] or '') ~= '' and (recalled == '' or tonumber(b[11]) > tonumber(recalled)) then
  recalled = b[11]
end
local updated = tonumber(a[12] or a[13])
if now > updated then
  updated = now
end
local set = { 'count', (tonumber(a[9]) or 1) + (tonumber(b[9]) or 1), 'authors', cjson.encode(authors),
  'recalls', recalls, 'recalled', recalled, 'updated', updated, 'words', table.concat(wordList, ' '),
  'len', tonumber(a[5]) + added }
if #list > 0 then
  set[#set + 1] = 'tags'
  set[#set + 1] = cjson.encode(list)
end
if not a[6] and fromFp then
  set[#set + 1] = 'fp'
  set[#set + 1] = fromFp
  redis.call('HSET', KEYS[5], fromFp, si)
end
redis.call('HSET', ki, unpack(set))
redis.call('HINCRBY', KEYS[3], 'len', added)
if recalls == 0 then
  redis.call('ZADD', KEYS[6], updated, si)
else
  redis.call('ZREM', KEYS[6], si)
end
return redis.call('HGETALL', ki)
