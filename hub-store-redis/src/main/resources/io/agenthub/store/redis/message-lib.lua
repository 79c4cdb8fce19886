-- Shared by the message read scripts: a reply is a flat list of cursor, json, cursor, json...
local function message_bodies(bodies_key, cursors)
  local out = {}
  if #cursors == 0 then
    return out
  end
  local values = redis.call('HMGET', bodies_key, unpack(cursors))
  for i, c in ipairs(cursors) do
    if values[i] then
      out[#out + 1] = c
      out[#out + 1] = values[i]
    end
  end
  return out
end
