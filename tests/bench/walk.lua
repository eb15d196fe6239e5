-- wrk walks a file of paths, one a line, so that no address is asked for twice:
-- with N threads, thread i takes lines i, i + N, i + 2N, ... and stops when its
-- share runs out. Arguments after "--": the file, the number of threads, and
-- optionally a Cookie header (a signed-in officer). done() prints one line of
-- JSON: requests, seconds, latency percentiles in milliseconds, failures, and
-- how many answers said X-Page-Cache: hit or miss.
local threads = {}
local made = 0

function setup(thread)
  made = made + 1
  thread:set("id", made)
  table.insert(threads, thread)
end

function init(args)
  local total = tonumber(args[2])
  paths, index, hits, misses, failed = {}, 0, 0, 0, 0
  local line = 0
  for path in io.lines(args[1]) do
    if line % total == id - 1 then
      paths[#paths + 1] = path
    end
    line = line + 1
  end
  if args[3] and args[3] ~= "" then
    wrk.headers["Cookie"] = args[3]
  end
end

function request()
  index = index + 1
  if index > #paths then
    wrk.thread:stop()
    index = #paths
  end
  return wrk.format("GET", paths[index])
end

function response(status, headers, body)
  local cached = headers["X-Page-Cache"]
  if cached == "hit" then hits = hits + 1 elseif cached == "miss" then misses = misses + 1 end
  if status >= 400 then failed = failed + 1 end
end

function done(summary, latency, requests)
  local h, m, f, used = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    h, m, f = h + thread:get("hits"), m + thread:get("misses"), f + thread:get("failed")
    used = used + thread:get("index")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50": %.1f, "p95": %.1f, "p99": %.1f, "max": %.1f, '
      .. '"failed": %d, "socket_errors": %d, "hits": %d, "misses": %d, "paths_used": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, f, e.connect + e.read + e.write + e.timeout, h, m, used))
end
