-- Tasks after a cursor in order of number, filtered (see TaskStore.list). KEYS: t-all.
-- ARGV: base, after, limit, scan, state or '', pool or '', label or ''. Returns {next cursor, tasks...}.
local base, limit, scan = ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[4])
local state, pool, label = ARGV[5], ARGV[6], ARGV[7]
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[2], '+inf', 'LIMIT', 0, scan)
local out = { '0' }
local found = 0
for i, id in ipairs(ids) do
  local v = redis.call('HMGET', base .. 't:' .. id, 'state', 'pool', 'spec')
  local ok = (state == '' or v[1] == state) and (pool == '' or v[2] == pool)
  if ok and label ~= '' then
    ok = false
    for _, l in ipairs(cjson.decode(v[3]).labels) do
      if l == label then
        ok = true
      end
    end
  end
  if ok then
    if found == limit then
      out[1] = string.sub(out[#out][1], 3)
      return out
    end
    found = found + 1
    out[#out + 1] = task_reply(base, id)
  end
  if i == #ids and #ids == scan then
    out[1] = string.sub(id, 3)
  end
end
return out
