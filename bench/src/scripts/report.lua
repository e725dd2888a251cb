-- Appended to every wrk script: one JSON line with the run's totals, for the bench binary.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local cycles = 0
  for _, thread in ipairs(threads) do
    cycles = cycles + (thread:get("cycles") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"socket_errors":%d,"status_errors":%d,"cycles":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status, cycles))
end
