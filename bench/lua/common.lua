-- Shared by every bench/lua script (loaded with dofile): `done` writes the run's numbers as one
-- JSON object to $BENCH_WRK_OUT (unset during warm-ups: nothing is written).
-- Latencies are wrk's, in microseconds; errors split as wrk counts them ("status" = responses
-- that were not 2xx/3xx).
function done(summary, latency, requests)
   local out = os.getenv("BENCH_WRK_OUT")
   if out == nil or out == "" then return end
   local e = summary.errors
   local f = assert(io.open(out, "w"))
   f:write(string.format(
      '{"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,'
         .. '"mean_us":%.1f,"stdev_us":%.1f,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      latency.mean, latency.stdev, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
   f:close()
end

-- Each thread learns its index (0-based) and the thread count, for deterministic sequences.
local threads_created = 0
function setup(thread)
   thread:set("thread_index", threads_created)
   threads_created = threads_created + 1
end
