-- wrk script of io.tlswatch.bench.IngestBenchmark (docs/BENCHMARKS.md, report-ingest).
-- POSTs the reports of the pool file $INGEST_BENCH_POOL (records "<length>\n<bytes>"), the next one on
-- every request, each thread starting at its own place in the pool; sends $INGEST_BENCH_AUTH as the
-- Authorization header when set. When done, writes its figures as "name value" lines to $INGEST_BENCH_OUT.

local pool = {}
local position = 1
local headers = {["Content-Type"] = "application/tlsrpt+gzip", ["Authorization"] = os.getenv("INGEST_BENCH_AUTH")}
local threads = 0

function setup(thread)
  thread:set("thread_index", threads)
  threads = threads + 1
end

function init(args)
  local file = assert(io.open(os.getenv("INGEST_BENCH_POOL"), "rb"))
  while true do
    local length = file:read("*l")
    if not length then break end
    pool[#pool + 1] = file:read(tonumber(length))
  end
  file:close()
  position = (thread_index * 7919) % #pool + 1
end

function request()
  local body = pool[position]
  position = position % #pool + 1
  return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("INGEST_BENCH_OUT"), "w"))
  out:write(string.format("requests %d\nduration_us %d\nbytes %d\n", summary.requests, summary.duration, summary.bytes))
  for _, kind in ipairs({"connect", "read", "write", "status", "timeout"}) do
    out:write(string.format("errors_%s %d\n", kind, summary.errors[kind]))
  end
  out:write(string.format("latency_mean_us %.1f\nlatency_max_us %d\n", latency.mean, latency.max))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    out:write(string.format("latency_p%s_us %d\n", tostring(p), latency:percentile(p)))
  end
  out:close()
end
