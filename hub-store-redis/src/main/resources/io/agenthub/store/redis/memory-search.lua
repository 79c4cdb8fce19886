-- Live entries matching every filter, best first, at most `limit`. KEYS: live, stats, words.
-- ARGV: base, limit, category ('' for any), tag count, the tags, then word/prefix-flag pairs ('1' = prefix).
-- With words: BM25 (k1 = 1.2, b = 0.75) over the postings of the query words; a prefix word expands to at most 64
-- indexed words. Cost: every posting of every query word is read, so a common word costs as many steps as entries
-- that contain it. Without words: newest first. Returns one field list per entry.
local base, limit, category = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local ntags = tonumber(ARGV[4])
local tags = {}
for i = 1, ntags do
  tags[i] = ARGV[4 + i]
end
local terms = {}
for i = 5 + ntags, #ARGV - 1, 2 do
  terms[#terms + 1] = { word = ARGV[i], prefix = ARGV[i + 1] == '1' }
end

local function entries(seqs)
  local out = {}
  for i = 1, math.min(limit, #seqs) do
    out[#out + 1] = redis.call('HGETALL', base .. 'e:' .. seqs[i])
  end
  return out
end

local created = {}
local function created_at(s)
  if not created[s] then
    created[s] = tonumber(redis.call('ZSCORE', KEYS[1], s)) or 0
  end
  return created[s]
end

-- Newer first, then the later seq (members are zero-padded, so string order is numeric order).
local function newer(a, b)
  local ca, cb = created_at(a), created_at(b)
  if ca ~= cb then
    return ca > cb
  end
  return a > b
end

local passed = {}
local function passes(s)
  if passed[s] == nil then
    local ok = category == '' or redis.call('SISMEMBER', base .. 'cat:' .. category, s) == 1
    for _, tag in ipairs(tags) do
      if not ok then
        break
      end
      ok = redis.call('SISMEMBER', base .. 'tag:' .. tag, s) == 1
    end
    passed[s] = ok
  end
  return passed[s]
end

if #terms == 0 then
  if category == '' and ntags == 0 then
    return entries(redis.call('ZREVRANGE', KEYS[1], 0, limit - 1))
  end
  local sets = {}
  if category ~= '' then
    sets[#sets + 1] = base .. 'cat:' .. category
  end
  for _, tag in ipairs(tags) do
    sets[#sets + 1] = base .. 'tag:' .. tag
  end
  local found = redis.call('SINTER', unpack(sets))
  table.sort(found, newer)
  return entries(found)
end

local stats = redis.call('HMGET', KEYS[2], 'n', 'len')
local n = tonumber(stats[1]) or 0
local avgdl = 1
if n > 0 and (tonumber(stats[2]) or 0) > 0 then
  avgdl = tonumber(stats[2]) / n
end

local words, seen = {}, {}
local function add_word(w)
  if not seen[w] then
    seen[w] = true
    words[#words + 1] = w
  end
end
for _, t in ipairs(terms) do
  if t.prefix then
    for _, w in ipairs(redis.call('ZRANGEBYLEX', KEYS[3], '[' .. t.word, '(' .. t.word .. '\255', 'LIMIT', 0, 64)) do
      add_word(w)
    end
  else
    add_word(t.word)
  end
end

local k1, b = 1.2, 0.75
local score, order, lengths = {}, {}, {}
for _, w in ipairs(words) do
  local postings = redis.call('HGETALL', base .. 'w:' .. w)
  local df = #postings / 2
  if df > 0 then
    local idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    for j = 1, #postings, 2 do
      local s = postings[j]
      if passes(s) then
        local tf = tonumber(postings[j + 1])
        if not lengths[s] then
          lengths[s] = tonumber(redis.call('HGET', base .. 'e:' .. s, 'len')) or 0
        end
        local add = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[s] / avgdl))
        if score[s] then
          score[s] = score[s] + add
        else
          score[s] = add
          order[#order + 1] = s
        end
      end
    end
  end
end
table.sort(order, function(a, b2)
  if score[a] ~= score[b2] then
    return score[a] > score[b2]
  end
  return newer(a, b2)
end)
return entries(order)
