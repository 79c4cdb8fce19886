-- Applies a profile change with merge semantics. KEYS: agent hash. ARGV: id, set name ('1' or '0'), name ('' means
-- the id), set capabilities ('1' or '0'), capabilities, label changes (a JSON object; null removes a label), most
-- labels. Returns the agent's fields; an empty list if it does not exist; {'labels-over', count} (changing nothing)
-- if the merge would leave more labels than allowed and more than before.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
local labels = cjson.decode(redis.call('HGET', KEYS[1], 'labels') or '{}')
local before = 0
for _ in pairs(labels) do
  before = before + 1
end
for k, v in pairs(cjson.decode(ARGV[6])) do
  if v == cjson.null then
    labels[k] = nil
  else
    labels[k] = v
  end
end
local count = 0
for _ in pairs(labels) do
  count = count + 1
end
if count > tonumber(ARGV[7]) and count > before then
  return {'labels-over', tostring(count)}
end
local fields = {}
if ARGV[2] == '1' then
  local name = ARGV[3]
  if name == '' then
    name = ARGV[1]
  end
  table.insert(fields, 'name')
  table.insert(fields, name)
end
if ARGV[4] == '1' then
  table.insert(fields, 'caps')
  table.insert(fields, ARGV[5])
end
table.insert(fields, 'labels')
-- An empty Lua table encodes as {} (an object), which is what an agent without labels stores.
table.insert(fields, cjson.encode(labels))
redis.call('HSET', KEYS[1], unpack(fields))
return redis.call('HGETALL', KEYS[1])
