-- wrk script of io.tlswatch.bench.WrkLoad (IngestBenchmark, SystemBenchmark; docs/BENCHMARKS.md).
-- POSTs the reports of the pool file $INGEST_BENCH_POOL (records "<length>\n<bytes>"), the next one on
-- every request, with $INGEST_BENCH_CONTENT_TYPE (default application/tlsrpt+gzip) and, when set,
-- $INGEST_BENCH_AUTH as the Authorization header. When done, writes its figures as "name value" lines
-- to $INGEST_BENCH_OUT.
--
-- Two ways through the pool:
-- * cycling (default): the pool is read into memory and each thread goes round it from its own place;
-- * once ($INGEST_BENCH_ONCE_FROM set to the byte offset of the first record to post): every record is
--   posted at most once. Records are read from the file as they are needed; thread t of T takes
--   records t, t + T, t + 2T, ... counted from that offset, and stops when it reaches the end of the
--   file. The answers are read: the figures add what was taken from the pool and how it was answered,
--   and $INGEST_BENCH_ACKS gets the stored row id of every 2xx answer ({"id": ..., "duplicate": ...},
--   report-ingest's answer), one a line.

local pool_path = os.getenv("INGEST_BENCH_POOL")
local once_from = tonumber(os.getenv("INGEST_BENCH_ONCE_FROM"))
local headers = {["Content-Type"] = os.getenv("INGEST_BENCH_CONTENT_TYPE") or "application/tlsrpt+gzip",
                 ["Authorization"] = os.getenv("INGEST_BENCH_AUTH")}

-- In the main state: every thread, in order, for done().
local threads = {}

-- In each thread's state.
local pool = {}
local position = 1
local file
local thread_count
taken = 0          -- records taken from the pool (once)
answered_2xx = 0
answered_other = 0
duplicates = 0     -- 2xx answers saying the report was stored before
unidentified = 0   -- 2xx answers without an id
exhausted = 0
acks = {}
local held         -- the record wrk's check of the first request read; it is the next one sent
local checking

function setup(thread)
  thread:set("thread_index", #threads)
  threads[#threads + 1] = thread
end

local function read_record()
  local length = file:read("*l")
  if not length then return nil end
  return file:read(tonumber(length))
end

-- The thread's next own record, or nil at the end of the pool.
local function take()
  local body = read_record()
  for _ = 2, thread_count do
    read_record()
  end
  if body then taken = taken + 1 end
  return body
end

function init(args)
  if once_from then
    thread_count = tonumber(os.getenv("INGEST_BENCH_THREADS"))
    file = assert(io.open(pool_path, "rb"))
    file:seek("set", once_from)
    for _ = 1, thread_index do
      read_record()
    end
    -- wrk calls request() once in the first thread before the run, to check it, and sends nothing.
    checking = thread_index == 0
    return
  end
  file = assert(io.open(pool_path, "rb"))
  while true do
    local body = read_record()
    if not body then break end
    pool[#pool + 1] = body
  end
  file:close()
  position = (thread_index * 7919) % #pool + 1
end

function request()
  if not once_from then
    local body = pool[position]
    position = position % #pool + 1
    return wrk.format("POST", nil, headers, body)
  end
  local body = held or take()
  held = nil
  if checking then
    checking = false
    held = body
  end
  if not body then
    -- The pool is used up: this thread stops; what it sends now is no report.
    exhausted = 1
    wrk.thread:stop()
    return wrk.format("GET", "/pool-exhausted")
  end
  return wrk.format("POST", nil, headers, body)
end

if once_from then
  function response(status, response_headers, body)
    if status < 200 or status > 299 then
      answered_other = answered_other + 1
      return
    end
    answered_2xx = answered_2xx + 1
    local id = body:match('"id"%s*:%s*(%d+)')
    if id then acks[#acks + 1] = id else unidentified = unidentified + 1 end
    if body:find('"duplicate"%s*:%s*true') then duplicates = duplicates + 1 end
  end
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
  if once_from then
    local totals = {taken = 0, answered_2xx = 0, answered_other = 0, duplicates = 0, unidentified = 0, exhausted = 0}
    -- The first record no thread has taken: after the furthest one taken (thread t's k-th is t + (k-1)T).
    local next_record = 0
    local acks_file = assert(io.open(os.getenv("INGEST_BENCH_ACKS"), "w"))
    for index, thread in ipairs(threads) do
      for name, _ in pairs(totals) do
        totals[name] = totals[name] + thread:get(name)
      end
      local thread_taken = thread:get("taken")
      if thread_taken > 0 then
        next_record = math.max(next_record, (index - 1) + (thread_taken - 1) * #threads + 1)
      end
      for _, id in ipairs(thread:get("acks")) do
        acks_file:write(id, "\n")
      end
    end
    acks_file:close()
    for name, value in pairs(totals) do
      out:write(string.format("%s %d\n", name, value))
    end
    out:write(string.format("next_record %d\n", next_record))
  end
  out:close()
end
