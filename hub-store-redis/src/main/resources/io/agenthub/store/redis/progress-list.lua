-- One page of progress records, by agent id: those after ARGV[2] (all scores are 0, so ids sort as strings).
-- KEYS: ids. ARGV: base of the hashes, the last id of the previous page ('' for the first), page size.
-- Returns id, last, stalled ('' for none), ...; a page with fewer records than the size is the last.
local from = ARGV[2] == '' and '-' or ('(' .. ARGV[2])
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYLEX', KEYS[1], from, '+', 'LIMIT', 0, tonumber(ARGV[3]))) do
  local v = redis.call('HMGET', ARGV[1] .. id, 'last', 'stalled')
  out[#out + 1] = id
  out[#out + 1] = v[1] or ''
  out[#out + 1] = v[2] or ''
end
return out
