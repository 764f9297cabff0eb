-- S1, S2, S5, S6 and the nginx ceiling: the same request every time (path and headers from
-- the wrk command line); only the shared `done` reporter.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
