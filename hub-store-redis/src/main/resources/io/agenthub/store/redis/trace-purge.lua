-- One bounded step of trail retention over one page of the agents set. KEYS: the agents set.
-- ARGV: the trail base, before (ms: entries with an earlier time go), cut (entries whose sequence number is below it
-- go), the agents-set cursor (SSCAN), the most entries this step removes.
-- An agent's trail is ordered by time and its sequence numbers grow with time, so both cuts remove a prefix: the
-- first with ZCOUNT, the second by a binary search over ranks for the first member at or above the cut.
-- Returns {the cursor to pass next, how many went, 1 once the whole set is done else 0}. When the budget runs out inside
-- a page, the same cursor comes back so that the page is visited again.
local base, before, cut, budget = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[5])
local page = redis.call('SSCAN', KEYS[1], ARGV[4], 'COUNT', 100)
local n = 0
for _, agent in ipairs(page[2]) do
  local key = base .. agent
  local k = math.min(redis.call('ZCOUNT', key, '-inf', '(' .. before), budget - n)
  if k > 0 then
    n = n + redis.call('ZREMRANGEBYRANK', key, 0, k - 1)
  end
  if cut > 0 and n < budget then
    -- Binary search over ranks for the first member at or above the cut: a handful of one-member reads however
    -- long the trail is, instead of reading the oldest members until one is at or above it.
    local lo, hi = 0, math.min(redis.call('ZCARD', key), budget - n)
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      local m = redis.call('ZRANGE', key, mid, mid)
      if tonumber(string.sub(m[1], 1, 20)) < cut then
        lo = mid + 1
      else
        hi = mid
      end
    end
    if lo > 0 then
      n = n + redis.call('ZREMRANGEBYRANK', key, 0, lo - 1)
    end
  end
  if redis.call('ZCARD', key) == 0 then
    redis.call('SREM', KEYS[1], agent)
  end
  if n >= budget then
    return { ARGV[4], n, 0 }
  end
end
return { page[1], n, page[1] == '0' and 1 or 0 }
