-- One page of agents, ordered by id: those with an id after ARGV[2] (all scores are 0, so ids sort as strings).
-- KEYS: ids. ARGV: base of the agent hashes, the last id of the previous page ('' for the first), page size.
-- Returns id, field list, id, field list, ... (an empty field list for an id whose hash is gone); a page with fewer
-- ids than the size is the last.
local from = ARGV[2] == '' and '-' or ('(' .. ARGV[2])
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYLEX', KEYS[1], from, '+', 'LIMIT', 0, tonumber(ARGV[3]))) do
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGETALL', ARGV[1] .. id)
end
return out
