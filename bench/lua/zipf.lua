-- S3: all five dashboard endpoints over many tenants, tenants drawn with Zipf popularity
-- (weight 1/rank^s, rank 1 = the first line of $BENCH_TOKENS, the largest tenant), endpoints
-- uniformly, all for the same period (this month so far, as a dashboard page would ask).
--   BENCH_TOKENS  file of tokens, one per line, most popular first
--   BENCH_ZIPF_S  exponent s (default 1.0)
--   BENCH_QUERY   the query string, "?from=…&to=…" (default none: the server's defaults)
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local paths = {
   "/financial/dashboard",
   "/financial/dashboard/summary",
   "/financial/dashboard/accounts",
   "/financial/dashboard/transactions",
   "/financial/dashboard/budgets",
}
local headers = {}
local cdf = {}

function init(args)
   local query = os.getenv("BENCH_QUERY") or ""
   for i = 1, #paths do paths[i] = paths[i] .. query end
   math.randomseed(7919 * ((thread_index or 0) + 1))
   for line in io.lines(os.getenv("BENCH_TOKENS")) do
      if line ~= "" then headers[#headers + 1] = { Authorization = "Bearer " .. line } end
   end
   assert(#headers > 0, "no tokens in BENCH_TOKENS")
   local s = tonumber(os.getenv("BENCH_ZIPF_S") or "1.0")
   local total = 0
   for rank = 1, #headers do
      total = total + 1 / rank ^ s
      cdf[rank] = total
   end
   for rank = 1, #headers do cdf[rank] = cdf[rank] / total end
end

local function draw()
   local u = math.random()
   local lo, hi = 1, #cdf
   while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      if cdf[mid] < u then lo = mid + 1 else hi = mid end
   end
   return lo
end

function request()
   return wrk.format("GET", paths[math.random(#paths)], headers[draw()])
end
