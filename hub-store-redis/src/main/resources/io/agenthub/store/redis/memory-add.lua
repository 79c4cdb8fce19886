-- Stores a memory entry and indexes it, or merges it into the live entry with the same fingerprint, unless its id was
-- ever used. KEYS: ids, seq, live, stats, words, fps, unrecalled.
-- ARGV: base, id, category, content, tags (JSON), author, created, recalls, recalled ('' for never), count,
-- authors (JSON), fingerprint, max tags, max authors, content bytes (UTF-8), quota entries, quota bytes (0: none),
-- tag count, then per tag: the tag, its word count, its words; then the content's word/frequency pairs.
-- Returns {'taken'}, {'new'}, {'merged', fields of the merged entry...}, or {'quota', entries, bytes} (nothing is
-- written) if a new entry would take its author's live entries or bytes past the quota; a merge is never refused.
-- Index: w:<word> is a hash from entry to weighted term frequency (a tag word counts 2), `words` lists words that have
-- postings (for prefix queries), tag:<tag> and cat:<category> are sets of entries, `live` orders entries by creation
-- time, `unrecalled` those never recalled by last write, `fps` maps a fingerprint to its live entry, and `stats` keeps
-- the entry count and total length for BM25. Entries are e:<seq> with seq zero-padded. by:<author> holds the
-- author's live entries (n) and their content bytes (b) for the quota; an entry that is counted there carries its
-- `bytes`, and only such entries are taken off again (memory-delete.lua, memory-merge.lua).
local base = ARGV[1]
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then
  return { 'taken' }
end
local maxTags, maxAuthors = tonumber(ARGV[13]), tonumber(ARGV[14])
local ntags = tonumber(ARGV[18])
local tags = {}
local i = 19
for _ = 1, ntags do
  local t = { name = ARGV[i], words = {} }
  local nw = tonumber(ARGV[i + 1])
  for j = 1, nw do
    t.words[j] = ARGV[i + 1 + j]
  end
  tags[#tags + 1] = t
  i = i + 2 + nw
end

local existing = redis.call('HGET', KEYS[6], ARGV[12])
if existing then
  local s = existing
  local key = base .. 'e:' .. s
  local v = redis.call('HMGET', key, 'tags', 'authors', 'author', 'count', 'updated', 'created', 'words', 'len', 'recalls')
  local have, list = {}, cjson.decode(v[1])
  for _, t in ipairs(list) do
    have[t] = true
  end
  local indexed, wordList = {}, {}
  for w in string.gmatch(v[7], '%S+') do
    indexed[w] = true
    wordList[#wordList + 1] = w
  end
  local added = 0
  for _, t in ipairs(tags) do
    if not have[t.name] and #list < maxTags then
      have[t.name] = true
      list[#list + 1] = t.name
      redis.call('SADD', base .. 'tag:' .. t.name, s)
      for _, w in ipairs(t.words) do
        redis.call('HINCRBY', base .. 'w:' .. w, s, 2)
        redis.call('ZADD', KEYS[5], 0, w)
        if not indexed[w] then
          indexed[w] = true
          wordList[#wordList + 1] = w
        end
        added = added + 1
      end
    end
  end
  local authors = v[2] and cjson.decode(v[2]) or { v[3] }
  local known = {}
  for _, a in ipairs(authors) do
    known[a] = true
  end
  for _, a in ipairs(cjson.decode(ARGV[11])) do
    if not known[a] and #authors < maxAuthors then
      known[a] = true
      authors[#authors + 1] = a
    end
  end
  local updated = tonumber(v[5] or v[6])
  if tonumber(ARGV[7]) > updated then
    updated = tonumber(ARGV[7])
  end
  local fields = { 'count', (tonumber(v[4]) or 1) + tonumber(ARGV[10]), 'authors', cjson.encode(authors),
    'updated', updated, 'words', table.concat(wordList, ' '), 'len', tonumber(v[8]) + added }
  if #list > 0 then
    fields[#fields + 1] = 'tags'
    fields[#fields + 1] = cjson.encode(list)
  end
  redis.call('HSET', key, unpack(fields))
  redis.call('HINCRBY', KEYS[4], 'len', added)
  if tonumber(v[9]) == 0 then
    redis.call('ZADD', KEYS[7], updated, s)
  end
  local out = { 'merged' }
  for _, x in ipairs(redis.call('HGETALL', key)) do
    out[#out + 1] = x
  end
  return out
end

-- A new entry: it counts against its author's quota, checked before anything is written.
local author = base .. 'by:' .. ARGV[6]
local bytes, maxN, maxB = tonumber(ARGV[15]), tonumber(ARGV[16]), tonumber(ARGV[17])
local used = redis.call('HMGET', author, 'n', 'b')
local n, b = tonumber(used[1] or '0') + 1, tonumber(used[2] or '0') + bytes
if (maxN > 0 and n > maxN) or (maxB > 0 and b > maxB) then
  return { 'quota', n, b }
end
redis.call('HSET', author, 'n', n, 'b', b)

local s = string.format('%012d', redis.call('INCR', KEYS[2]))
local tf, len = {}, 0
local order = {}
local function count(w, n)
  if not tf[w] then
    tf[w] = 0
    order[#order + 1] = w
  end
  tf[w] = tf[w] + n
end
for j = i, #ARGV - 1, 2 do
  count(ARGV[j], tonumber(ARGV[j + 1]))
  len = len + tonumber(ARGV[j + 1])
end
for _, t in ipairs(tags) do
  for _, w in ipairs(t.words) do
    count(w, 2)
    len = len + 1
  end
end
for _, w in ipairs(order) do
  redis.call('HSET', base .. 'w:' .. w, s, tf[w])
  redis.call('ZADD', KEYS[5], 0, w)
end
redis.call('HSET', base .. 'e:' .. s, 'id', ARGV[2], 'category', ARGV[3], 'content', ARGV[4], 'tags', ARGV[5],
  'author', ARGV[6], 'created', ARGV[7], 'recalls', ARGV[8], 'recalled', ARGV[9], 'len', len,
  'words', table.concat(order, ' '), 'count', ARGV[10], 'authors', ARGV[11], 'updated', ARGV[7], 'fp', ARGV[12],
  'bytes', ARGV[15])
redis.call('HSET', KEYS[1], ARGV[2], s)
redis.call('HSET', KEYS[6], ARGV[12], s)
redis.call('ZADD', KEYS[3], ARGV[7], s)
if tonumber(ARGV[8]) == 0 then
  redis.call('ZADD', KEYS[7], ARGV[7], s)
end
redis.call('HINCRBY', KEYS[4], 'n', 1)
redis.call('HINCRBY', KEYS[4], 'len', len)
-- The index layout (RedisMemoryStore.INDEX_VERSION): stemmed words, fingerprints, the decay list, quota usage.
redis.call('HSET', KEYS[4], 'v', '3')
redis.call('SADD', base .. 'cat:' .. ARGV[3], s)
for _, t in ipairs(tags) do
  redis.call('SADD', base .. 'tag:' .. t.name, s)
end
return { 'new' }
