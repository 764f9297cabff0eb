#!/usr/bin/env python3
"""bench/run.sh's numbers → one line per run, and the Markdown results section.

    report.py line RESULTS_DIR NAME     one summary line for run NAME (printed as it finishes)
    report.py write RESULTS_DIR OUT     the results section: printed, and put into OUT between
                                        <!-- bench:results:begin --> and <!-- bench:results:end -->

RESULTS_DIR holds, per run NAME: NAME.json (wrk's numbers, from bench/lua/common.lua) or NAME.txt
and NAME.pgbench_log.* (pgbench), NAME.before / NAME.after ("key value": time, cpu_ticks of the
process measured, db_ticks of PostgreSQL, rss_kb), NAME.before.metrics / NAME.after.metrics
(findash's /metrics) and NAME.rss (largest resident memory seen, kB); context.tsv, phases.tsv,
tenants.tsv, floor/verify.json, idle.ready / idle.out.
"""
import glob
import json
import os
import re
import sys

BEGIN = "<!-- bench:results:begin -->"
END = "<!-- bench:results:end -->"


def read_kv(path, sep=None):
    out = {}
    try:
        with open(path) as f:
            for line in f:
                parts = line.rstrip("\n").split(sep, 1)
                if len(parts) == 2:
                    out[parts[0]] = parts[1]
    except FileNotFoundError:
        pass
    return out


def read_json(path):
    try:
        with open(path) as f:
            return json.loads(f.read() or "null")
    except (FileNotFoundError, ValueError):
        return None


def metrics(path):
    out = {}
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("#") or " " not in line:
                    continue
                name, value = line.rsplit(" ", 1)
                try:
                    out[name] = float(value)
                except ValueError:
                    pass
    except FileNotFoundError:
        pass
    return out


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


class Run:
    """One measured run: wrk (scenarios, ceiling) or pgbench (floor)."""

    def __init__(self, res, name, clk_tck):
        self.name = name
        self.ok = False
        before = read_kv(f"{res}/{name}.before")
        after = read_kv(f"{res}/{name}.after")
        wrk = read_json(f"{res}/{name}.json")
        self.kind = "wrk" if wrk else "pgbench"
        if wrk:
            self.requests = wrk["requests"]
            self.seconds = wrk["duration_us"] / 1e6
            self.rps = self.requests / self.seconds if self.seconds else 0
            self.mean_ms = wrk["mean_us"] / 1000
            self.p50_ms = wrk["p50_us"] / 1000
            self.p99_ms = wrk["p99_us"] / 1000
            self.max_ms = wrk["max_us"] / 1000
            self.errors = sum(wrk[k] for k in ("connect", "read", "write", "status", "timeout"))
            self.error_detail = {k: wrk[k] for k in ("connect", "read", "write", "status", "timeout") if wrk[k]}
            self.ok = True
        elif os.path.exists(f"{res}/{name}.txt"):
            self._pgbench(res, name)
        if not self.ok:
            return
        def delta(key):
            try:
                return float(after[key]) - float(before[key])
            except (KeyError, ValueError):
                return None
        ticks, db_ticks = delta("cpu_ticks"), delta("db_ticks")
        self.cpu_us = ticks / clk_tck * 1e6 / self.requests if ticks is not None and self.requests else None
        self.db_cpu_us = db_ticks / clk_tck * 1e6 / self.requests if db_ticks is not None and self.requests else None
        try:
            with open(f"{res}/{name}.rss") as f:
                self.rss_mb = int(f.read().strip()) / 1024
        except (FileNotFoundError, ValueError):
            self.rss_mb = float(after.get("rss_kb", 0)) / 1024 or None
        m0, m1 = metrics(f"{res}/{name}.before.metrics"), metrics(f"{res}/{name}.after.metrics")
        self.metrics = {k: m1[k] - m0.get(k, 0) for k in m1 if k.startswith("dashboard_cache_") or k.startswith("dashboard_db_computations")}
        self.open_fds = m1.get("process_open_fds")

    def _pgbench(self, res, name):
        text = open(f"{res}/{name}.txt").read()
        m = re.search(r"number of transactions actually processed: (\d+)", text)
        tps = re.search(r"tps = ([\d.]+)", text)
        if not m or not tps:
            return
        self.requests = int(m.group(1))
        self.rps = float(tps.group(1))
        failed = re.search(r"number of failed transactions: (\d+)", text)
        self.errors = int(failed.group(1)) if failed else 0
        self.error_detail = {}
        # Per-line means (pgbench -r) of the measured lines, those after the once-per-connection
        # block (\endif): the dashboard statement and, in the .rls variant, the tenant context.
        self.stmt_ms = 0.0
        in_statements = measured = False
        for line in text.splitlines():
            if "statement latencies" in line:
                in_statements = True
                continue
            if not in_statements:
                continue
            s = re.match(r"^\s+(-?[\d.]+)\s+(?:\d+\s+)?(.*)$", line)
            if not s:
                continue
            latency, command = float(s.group(1)), s.group(2)
            if command.startswith("\\endif"):
                measured = True
                continue
            if not measured:
                continue
            if command.startswith("EXECUTE") or "set_config" in command:
                self.stmt_ms += latency
        latencies = []
        for path in glob.glob(f"{res}/{name}.pgbench_log*"):
            with open(path) as f:
                for line in f:
                    fields = line.split()
                    # Not a connection's first transaction: it prepared and warmed the statement.
                    if len(fields) >= 3 and fields[2].isdigit() and fields[1] != "0":
                        latencies.append(int(fields[2]))
        latencies.sort()
        self.mean_ms = self.stmt_ms
        self.p50_ms = percentile(latencies, 50) / 1000 if latencies else None

        self.p99_ms = percentile(latencies, 99) / 1000 if latencies else None
        self.max_ms = latencies[-1] / 1000 if latencies else None
        self.seconds = None
        self.ok = True


def fmt_rps(x):
    return "—" if x is None else f"{x:,.0f}" if x >= 100 else f"{x:.1f}" if x >= 1 else f"{x:.2f}"


def fmt_int(x):
    return "—" if x is None else f"{x:,.0f}"


def fmt_ms(x):
    if x is None:
        return "—"
    return f"{x:.2f} ms" if x < 10 else f"{x:.1f} ms" if x < 100 else f"{x:,.0f} ms"


def fmt_mb(x):
    return "—" if x is None else f"{x:.0f} MB"


def fmt_us(x):
    return "—" if x is None else f"{x:,.0f}" if x >= 10 else f"{x:.1f}"


def line(res, name):
    ctx = read_kv(f"{res}/context.tsv", sep="\t")
    run = Run(res, name, float(ctx.get("clk_tck", os.sysconf("SC_CLK_TCK"))))
    if not run.ok:
        print(f"[bench]   {name}: no result")
        return
    extra = ""
    hits, misses = run.metrics.get("dashboard_cache_hits_total"), run.metrics.get("dashboard_cache_misses_total")
    if hits is not None and misses is not None and hits + misses > 0:
        extra = f", cache hits {hits:,.0f} / misses {misses:,.0f}"
    if run.kind == "pgbench":
        print(f"[bench]   {name}: {fmt_rps(run.rps)} tx/s, mean {fmt_ms(run.stmt_ms)}, p50 {fmt_ms(run.p50_ms)}, "
              f"p99 {fmt_ms(run.p99_ms)}, failed {run.errors}, PostgreSQL CPU {fmt_us(run.db_cpu_us)} µs/tx")
    else:
        print(f"[bench]   {name}: {fmt_rps(run.rps)} req/s, p50 {fmt_ms(run.p50_ms)}, p99 {fmt_ms(run.p99_ms)}, "
              f"errors {run.errors}{' ' + json.dumps(run.error_detail) if run.errors else ''}, "
              f"CPU {fmt_us(run.cpu_us)} µs/req, RSS {fmt_mb(run.rss_mb)}{extra}")


def write(res, out):
    ctx = read_kv(f"{res}/context.tsv", sep="\t")
    clk = float(ctx.get("clk_tck", 100))
    runs = {}
    for path in glob.glob(f"{res}/*.before"):
        name = os.path.basename(path)[: -len(".before")]
        r = Run(res, name, clk)
        if r.ok:
            runs[name] = r
    verify = read_json(f"{res}/floor/verify.json") or {}
    idle_ready = read_json(f"{res}/idle.ready") or {}
    idle_out = None
    try:
        with open(f"{res}/idle.out") as f:
            lines = [l for l in f.read().splitlines() if l.strip()]
            idle_out = json.loads(lines[-1]) if lines else None
    except (FileNotFoundError, ValueError):
        pass
    phases = []
    try:
        with open(f"{res}/phases.tsv") as f:
            phases = [l.rstrip("\n").split("\t") for l in f if "\t" in l]
    except FileNotFoundError:
        pass

    def get(name):
        return runs.get(name)

    conns = ctx.get("connections", "64")
    many = ctx.get("many", "1000")
    s4c = ctx.get("s4_connections", "1")
    idle = int(ctx.get("idle", "10000"))
    body_kb = int(ctx.get("body_bytes", "0")) / 1024

    rows = []

    def ratio(a, b):
        return a / b if a is not None and b else None

    def row(label, name, ref_text, ratio_value, goal_text):
        r = get(name)
        if not r:
            rows.append(f"| {label} | — | — | — | — | — | — | — | not run |")
            return
        ratio_cell = "—" if ratio_value is None else f"{ratio_value:.2f}× {ref_text}"
        errors = f"{r.errors:,}" if not r.errors else f"**{r.errors:,}** " + ", ".join(f"{k} {v:,}" for k, v in r.error_detail.items())
        rows.append(f"| {label} | {fmt_rps(r.rps)} | {fmt_ms(r.p50_ms)} | {fmt_ms(r.p99_ms)} | {errors} | {fmt_mb(r.rss_mb)} | "
                    f"{fmt_us(r.cpu_us)} | {ratio_cell} | {goal_text} |")

    def mark(ok):
        return "met" if ok else "**missed**"

    s1, c1 = get("S1"), get("C1")
    r1 = ratio(s1 and s1.rps, c1 and c1.rps)
    g1 = "—" if not s1 or r1 is None else f"{mark(r1 >= 0.7 and s1.p99_ms < 5)} (≥ 0.7×, p99 < 5 ms)"
    row(f"S1 `/health`, {conns} conns", "S1", "nginx", r1, g1)

    s2, c2 = get("S2"), get("C2")
    r2 = ratio(s2 and s2.rps, c2 and c2.rps)
    g2 = "—" if not s2 or r2 is None else f"{mark(r2 >= 0.7 and s2.p99_ms < 5)} (≥ 0.7×, p99 < 5 ms)"
    row(f"S2 cached full dashboard, heavy tenant, {conns} conns", "S2", "nginx", r2, g2)

    s3 = get("S3")
    hit_ratio = None
    if s3:
        hits = s3.metrics.get("dashboard_cache_hits_total", 0)
        misses = s3.metrics.get("dashboard_cache_misses_total", 0)
        hit_ratio = hits / (hits + misses) if hits + misses else None
    g3 = "—" if hit_ratio is None else f"{mark(hit_ratio >= 0.95)}: hit ratio {100 * hit_ratio:.1f} % (≥ 95 %)"
    row(f"S3 5 endpoints × {int(ctx.get('tenants', '0')):,} tenants, Zipf s={ctx.get('zipf_s', '1.0')}, {conns} conns",
        "S3", "", None, g3)

    for who in ("heavy", "median"):
        s4, f4, f4r = get(f"S4-{who}"), get(f"F-dashboard-{who}"), get(f"F-dashboard-{who}-rls")
        r4 = ratio(s4 and s4.p50_ms, f4 and f4.p50_ms)
        r4r = ratio(s4 and s4.p50_ms, f4r and f4r.p50_ms)
        ref = "floor" + ("" if r4r is None else f"; {r4r:.2f}× floor as run (RLS)")
        goal = "—"
        if s4 and r4 is not None:
            goal = f"{mark(r4 <= 1.25)} (≤ 1.25× floor)"
            if who == "heavy":
                goal = f"{mark(r4 <= 1.25 and s4.p50_ms < 50)} (≤ 1.25× floor, p50 < 50 ms)"
        tenant = ctx.get(who, who)
        n = int(ctx.get(f"{who}_n", "0"))
        row(f"S4 uncached full dashboard, {who} tenant ({n:,} tx), {s4c} conn{'s' if s4c != '1' else ''}",
            f"S4-{who}", ref, r4, goal)

    s5, c5 = get("S5"), get("C5")
    r5 = ratio(s5 and s5.rps, c5 and c5.rps)
    g5 = "—" if not s5 else f"{mark(s5.errors == 0)} (0 errors)"
    row(f"S5 cached full dashboard, {int(many):,} conns", "S5", "nginx", r5, g5)

    s6 = get("S6")
    r6 = ratio(s6 and s6.rps, c2 and c2.rps)
    g6 = "—"
    if s6:
        g6 = f"{mark(s6.errors == 0 and (s6.rss_mb or 0) < 150)} (0 errors, RSS < 150 MB)"
    row(f"S6 = S2 with {idle:,} idle keep-alive conns open", "S6", "nginx", r6, g6)

    refs = []
    for name, label in (("C1", f"`/health` body ({os.path.getsize(f'{res}/health.body') if os.path.exists(f'{res}/health.body') else 0} B), {conns} conns"),
                        ("C2", f"full dashboard body ({body_kb:.1f} KB), {conns} conns"),
                        ("C5", f"full dashboard body, {int(many):,} conns")):
        r = get(name)
        if not r:
            continue
        refs.append(f"| {label} | {fmt_rps(r.rps)} | {fmt_ms(r.p50_ms)} | {fmt_ms(r.p99_ms)} | {r.errors:,} | "
                    f"{fmt_mb(r.rss_mb)} | {fmt_us(r.cpu_us)} |")

    floors = []
    for who in ("heavy", "median"):
        for endpoint in ("dashboard", "summary", "accounts", "transactions", "budgets"):
            r = get(f"F-{endpoint}-{who}")
            if not r:
                continue
            floors.append(f"| `{endpoint}` | {who} | {fmt_rps(r.rps)} | {fmt_ms(r.stmt_ms)} | {fmt_ms(r.p50_ms)} | "
                          f"{fmt_ms(r.p99_ms)} | {r.errors:,} | {fmt_us(r.db_cpu_us)} |")
        r = get(f"F-dashboard-{who}-rls")
        if r:
            floors.append(f"| `dashboard` as run: `findash_reader`, tenant context first | {who} | {fmt_rps(r.rps)} | {fmt_ms(r.stmt_ms)} | "
                          f"{fmt_ms(r.p50_ms)} | {fmt_ms(r.p99_ms)} | {r.errors:,} | {fmt_us(r.db_cpu_us)} |")

    notes = []
    if s3:
        m = s3.metrics
        cold = ""
        m0, m1 = metrics(f"{res}/S3.start.metrics"), metrics(f"{res}/S3.before.metrics")
        ch = m1.get("dashboard_cache_hits_total", 0) - m0.get("dashboard_cache_hits_total", 0)
        cm = m1.get("dashboard_cache_misses_total", 0) - m0.get("dashboard_cache_misses_total", 0)
        if m0 and ch + cm > 0:
            cold = f" (during the warm-up itself, from a cold cache: {100 * ch / (ch + cm):.1f} %, {cm:,.0f} misses)"
        notes.append(f"S3: {m.get('dashboard_cache_hits_total', 0):,.0f} hits, {m.get('dashboard_cache_misses_total', 0):,.0f} misses, "
                     f"{m.get('dashboard_db_computations_total', 0):,.0f} statements during the measured {ctx.get('duration')} s, "
                     f"after a {ctx.get('s3_warmup')} s warm-up (cache TTL {ctx.get('server_env', '').split('DASHBOARD_CACHE_TTL=')[-1].split()[0] if 'DASHBOARD_CACHE_TTL=' in ctx.get('server_env', '') else '?'} s); "
                     f"PostgreSQL CPU {fmt_us(s3.db_cpu_us)} µs/request{cold}.")
    for who in ("heavy", "median"):
        s4, f4, f4r = get(f"S4-{who}"), get(f"F-dashboard-{who}"), get(f"F-dashboard-{who}-rls")
        if not s4:
            continue
        comp = s4.metrics.get("dashboard_db_computations_total", 0)
        hits = s4.metrics.get("dashboard_cache_hits_total", 0)
        text = (f"S4 {who} ({ctx.get(who)}): mean {fmt_ms(s4.mean_ms)}, {comp:,.0f} statements for {s4.requests:,} requests "
                f"(the last may still be running when wrk stops), {hits:,.0f} cache hits; findash CPU {fmt_us(s4.cpu_us)} µs + PostgreSQL CPU {fmt_us(s4.db_cpu_us)} µs per request")
        if f4:
            text += (f"; floor: statement mean {fmt_ms(f4.stmt_ms)} ({ratio(s4.mean_ms, f4.stmt_ms):.2f}× of it), "
                     f"PostgreSQL CPU {fmt_us(f4.db_cpu_us)} µs")
        if f4r:
            text += (f"; as the server runs it: {fmt_ms(f4r.stmt_ms)} ({ratio(s4.mean_ms, f4r.stmt_ms):.2f}×), "
                     f"PostgreSQL CPU {fmt_us(f4r.db_cpu_us)} µs")
        notes.append(text + ".")
    if s6:
        before = int(ctx.get("s6_rss_before_kb", "0")) / 1024
        idle_rss = int(ctx.get("s6_rss_idle_kb", "0")) / 1024
        opened = idle_ready.get("answered", 0)
        per = (idle_rss - before) * 1024 / opened if opened else None
        alive = idle_out.get("alive_at_end") if idle_out else None
        notes.append(f"S6: {opened:,} of {idle:,} idle connections answered their one `/health` "
                     f"(opened in {idle_ready.get('seconds', '?')} s){'' if alive is None else f', {alive:,} still open at the end'}; "
                     f"findash RSS {before:.0f} MB before them, {idle_rss:.0f} MB with them idle "
                     f"({'—' if per is None else f'{per:.1f} KB'} per connection), {fmt_mb(s6.rss_mb)} at most while S2 ran; "
                     f"open descriptors {fmt_int(s6.open_fds)}.")
    if ctx.get("rss_end_kb"):
        notes.append(f"findash RSS at the end, its caches holding what S3 and S4 computed: {int(ctx['rss_end_kb']) / 1024:.0f} MB.")
    if verify:
        if verify.get("matched") and len(verify["matched"]) == verify.get("checked"):
            v = f"the floor's statements are byte-for-byte the ones the server ran ({len(verify['matched'])}/{verify['checked']} endpoints, PostgreSQL log)"
        else:
            v = (f"**the floor's SQL differs from the server's** for {', '.join(verify.get('mismatched', []) + verify.get('missing', []))}: "
                 f"the floor used the server's logged statement where it had one")
        extra = verify.get("extra") or []
        if extra:
            v += "; per request the server also ran: " + "; ".join(f"`{e}`" for e in extra)
        notes.append("SQL: " + v + ".")
    try:
        with open(f"{res}/restarts.txt") as f:
            restarts = [l.strip() for l in f if l.strip()]
    except FileNotFoundError:
        restarts = []
    if restarts:
        notes.append("**findash was stopped from outside and started again** (its scenario then ran again): "
                     + "; ".join(restarts) + ".")
    if phases:
        notes.append("Phases: " + ", ".join(f"{p} {float(s):.0f} s" for p, s in phases) +
                     f" (total {sum(float(s) for _, s in phases):.0f} s).")

    dirty = int(ctx.get("dirty", "0") or 0)
    out_lines = [
        f"### Run of {ctx.get('started', '?')}",
        "",
        f"- commit `{ctx.get('commit', '?')}`{f' plus uncommitted changes in {dirty} Sources file(s)' if dirty else ''}; "
        f"release binary built {ctx.get('binary_built', '?')}",
        f"- machine: {ctx.get('nproc', '?')} × {ctx.get('cpu', '?')}, {ctx.get('memory', '?')}; "
        f"load average {ctx.get('loadavg_start', '?')} at the start, {ctx.get('loadavg_end', '?')} at the end (shared machine)",
        f"- data: {int(ctx.get('tenants', '0')):,} tenants, {int(ctx.get('transactions', '0')):,} transactions (seed {ctx.get('seed')}, "
        f"through {ctx.get('seed_day')}; database {ctx.get('db_size', '?')}); heavy tenant {ctx.get('heavy')} with "
        f"{int(ctx.get('heavy_n', '0')):,}, median tenant {ctx.get('median')} with {int(ctx.get('median_n', '0')):,}; "
        f"S2, S3, S5, S6 ask for {ctx.get('period', 'this month so far')}",
        f"- client: wrk {ctx.get('wrk', '?')}, {ctx.get('threads')} threads, {ctx.get('warmup')} s warm-up + "
        f"{ctx.get('duration')} s measured per row (S3: {ctx.get('s3_warmup')} s warm-up; S4: {ctx.get('s4_duration')} s); server: {ctx.get('server_env', '?')}, memcached + in-process cache; "
        f"PostgreSQL {ctx.get('postgres', '?')}, {ctx.get('nginx', 'nginx')}",
        "",
        "| scenario | req/s | p50 | p99 | errors | RSS | CPU µs/req | vs reference | goal |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
        *rows,
        "",
        "RSS: the largest resident memory sampled during the measured run. CPU: the server process's "
        "user + system time over the measured run ÷ requests (PostgreSQL's and wrk's not included; S4's is in the notes). "
        "S4's ratios are its median latency ÷ the floor statement's median at the same concurrency (medians: a busy "
        "machine's stalls move the means), first for the SQL alone (the goal's reference), then for the SQL as the "
        "server runs it (as `findash_reader` under row-level security, after its tenant-context statement); "
        "the notes compare the means.",
        "",
        f"Ceiling — nginx, {ctx.get('nproc')} workers (as many as findash's loops), static file, same wrk command:",
        "",
        "| file | req/s | p50 | p99 | errors | RSS | CPU µs/req |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *refs,
        "",
        f"Floor — the server's statements, prepared once per connection and executed by `pgbench -c {s4c}`, "
        f"`work_mem=32MB`, `plan_cache_mode=force_custom_plan`{(' ' + ctx['floor_pgoptions']) if ctx.get('floor_pgoptions') else ''}, as the tables' owner, "
        f"{ctx.get('span')}-day windows drawn like S4's ({ctx.get('s4_duration')} s for `dashboard`, right after its S4 run; "
        f"{ctx.get('floor_duration')} s for the others):",
        "",
        "| statement | tenant | tx/s | mean | p50 | p99 | failed | PostgreSQL CPU µs/tx |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        *floors,
        "",
        "(Each pgbench connection first prepares the statement and executes it five times, unmeasured: PostgreSQL "
        "plans the first five executions for their values, and may then settle on a generic plan, as it does on the "
        "server's long-lived connections.)",
        "",
        *[f"- {n}" for n in notes],
        "",
        f"Raw output: `{ctx.get('results', res)}/`.",
    ]
    section = "\n".join(out_lines) + "\n"
    print()
    print(section)

    try:
        with open(out) as f:
            doc = f.read()
    except FileNotFoundError:
        doc = ""
    if BEGIN in doc and END in doc:
        head, rest = doc.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        doc = head + BEGIN + "\n" + section + END + tail
    else:
        doc = (doc.rstrip("\n") + "\n\n" if doc else "# Performance\n\n") + "## Latest results\n\n" + BEGIN + "\n" + section + END + "\n"
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "w") as f:
        f.write(doc)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "line":
        line(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
