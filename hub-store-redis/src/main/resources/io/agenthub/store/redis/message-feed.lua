-- Chat of every channel merged with one inbox, each message once, cursor > after, oldest first, at most `limit`.
-- KEYS: chat, inbox, bodies. ARGV: after, limit. Each side's first `limit` cursors suffice for the merge.
local limit = tonumber(ARGV[2])
local a = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'LIMIT', 0, limit)
local b = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[1], '+inf', 'LIMIT', 0, limit)
local cursors, i, j = {}, 1, 1
while #cursors < limit and (i <= #a or j <= #b) do
  local x, y = tonumber(a[i]), tonumber(b[j])
  if y == nil or (x ~= nil and x < y) then
    cursors[#cursors + 1] = a[i]
    i = i + 1
  elseif x == nil or y < x then
    cursors[#cursors + 1] = b[j]
    j = j + 1
  else
    cursors[#cursors + 1] = a[i]
    i, j = i + 1, j + 1
  end
end
return message_bodies(KEYS[3], cursors)
