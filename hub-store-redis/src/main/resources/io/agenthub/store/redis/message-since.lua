-- The newest `limit` messages created at or after a time, oldest first. KEYS: created, bodies. ARGV: since, limit.
-- Creation times come from the writers' clocks, so the window is read whole and ordered by cursor here.
local window = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf')
local numbers = {}
for i, c in ipairs(window) do
  numbers[i] = tonumber(c)
end
table.sort(numbers)
local cursors, limit = {}, tonumber(ARGV[2])
for i = math.max(1, #numbers - limit + 1), #numbers do
  cursors[#cursors + 1] = string.format('%d', numbers[i])
end
return message_bodies(KEYS[2], cursors)
