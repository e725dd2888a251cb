-- A full job cycle per connection slot: POST /messages, then GET its Location until the job is
-- no longer RUNNING. wrk shares one Lua state between a thread's connections and does not say
-- which connection a response belongs to, so each response names its own job: a 202 by its
-- Location, a 200 by the id in its body. Retry-After is not honoured here: this measures the
-- server's cost per cycle (the obedient client is the workflow-calls benchmark).
cycles = 0
local pending = {}
local submit = wrk.format("POST", "/messages", { ["Content-Type"] = "application/json" },
  '{"audience":"bench"}')

function request()
  local path = table.remove(pending)
  if path then
    return wrk.format("GET", path)
  end
  return submit
end

function response(status, headers, body)
  if status == 202 then
    local location = headers["location"] or headers["Location"]
    if location then
      table.insert(pending, location)
    end
  elseif status == 200 then
    if string.find(body, '"RUNNING"', 1, true) then
      local id = string.match(body, '"id"%s*:%s*"([^"]+)"')
      if id then
        table.insert(pending, "/messages/" .. id)
      end
    else
      cycles = cycles + 1
    end
  end
end
