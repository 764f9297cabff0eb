-- S4: the full dashboard for one tenant, every request with parameters no earlier request
-- used, so each one is a cache miss computed by PostgreSQL. Request k (k = base + i·threads +
-- thread) asks for the BENCH_SPAN-day window ending w days before BENCH_TODAY, with
-- w = k·BENCH_STRIDE mod BENCH_WINDOWS (the stride is coprime with the window count, so any run
-- of consecutive requests spreads over the whole two years: recent windows hold more rows
-- than old ones) and top = 1 + ⌊k / BENCH_WINDOWS⌋ mod 100: BENCH_WINDOWS × 100 distinct keys.
-- The warm-up (BENCH_RUN=warmup) starts at base 0 (top 1 …), the measured run at
-- base = 50·BENCH_WINDOWS (top 51 …), so the measured run never repeats a warm-up key.
-- The floor (bench/floor.py, pgbench) computes the same sequence from the same base.
--   BENCH_TOKEN    the tenant's token
--   BENCH_TODAY    the last seeded day, as days since 1970-01-01
--   BENCH_WINDOWS, BENCH_STRIDE, BENCH_SPAN, BENCH_THREADS, BENCH_RUN
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local today, windows, stride, span, base, threads, header
local i = 0

function init(args)
   today = tonumber(os.getenv("BENCH_TODAY"))
   windows = tonumber(os.getenv("BENCH_WINDOWS"))
   stride = tonumber(os.getenv("BENCH_STRIDE"))
   span = tonumber(os.getenv("BENCH_SPAN"))
   base = os.getenv("BENCH_RUN") == "measure" and 50 * windows or 0
   threads = tonumber(os.getenv("BENCH_THREADS"))
   header = { Authorization = "Bearer " .. os.getenv("BENCH_TOKEN") }
end

local function day(d) return os.date("!%Y-%m-%d", d * 86400) end

function request()
   local k = base + i * threads + (thread_index or 0)
   i = i + 1
   local w = (k * stride) % windows
   local top = 1 + math.floor(k / windows) % 100
   local to = today - w
   local path = "/financial/dashboard?from=" .. day(to - span + 1) .. "&to=" .. day(to) .. "&top=" .. top
   return wrk.format("GET", path, header)
end
