#!/usr/bin/env python3
"""The floor's SQL: check it against what the server ran, write the pgbench scripts.

    floor.py SQL_DIR SERVER_LOG OUT_DIR

SQL_DIR holds <endpoint>.sql, the statements bench/sqlgen printed from
Sources/Dashboard/DashboardSQL.swift. SERVER_LOG is the PostgreSQL log of one request per
endpoint, in ENDPOINTS order, made with log_min_duration_statement = 0. The i-th executed
dashboard statement in the log belongs to the i-th endpoint: when its text differs from
sqlgen's, the logged text (what the server really runs) is used and the difference reported.
Statements the server ran besides the dashboard statements (the row-level-security tenant
context, say) are reported too.

Writes OUT_DIR/<endpoint>.pgbench (the statement alone: the floor), OUT_DIR/<endpoint>.rls.pgbench
(preceded by the server's other per-request statement, to run as `findash_reader`: the
statement as the server runs it) and OUT_DIR/verify.json:
    {"checked": n, "matched": [...], "mismatched": [...], "missing": [...], "extra": [...]}

The scripts run the statement the way the server does: PREPAREd once per connection with its
own $1 … $9 — so PostgreSQL's plan cache sees the same parameters and moves from custom to
generic plans after five executions just as it does for the server's PQprepare'd statement —
then EXECUTEd with the nine values as text. They are for `pgbench -M simple -D prepared=0`: a
client variable remembers that its connection has prepared the statement (and executed it
five times, unmeasured, so that the plan cache is in the server's steady state). The
parameters follow bench/lua/uncached.lua's sequence from the same start (-D base, n=0,
clients, stride, windows, span, today): a window of :span days ending w days before :today,
and top; the EXECUTE computes the dates from w. `pgbench -r` times each script line: the
mean of the EXECUTE after `\\endif` (plus the tenant-context statement's, in the .rls
variant) is the floor's mean; the once-per-connection block is not counted, nor (in the
percentiles from the transaction log) each connection's first transaction, which runs it.
"""
import json
import re
import sys

ENDPOINTS = ["dashboard", "summary", "accounts", "transactions", "budgets"]
RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \w+ \[\d+\] ")
EXECUTE_RECORD = re.compile(r"LOG:  duration: [\d.]+ ms  execute [^:]+: (.*)$")

# pgbench -M simple substitutes :name textually, inside quotes too. EXECUTE evaluates its
# arguments before binding them, so the dates are computed right there: $3 from, $4 to, $5
# as_of, $6 the previous period's first day (from − span).
DAY = "(':today'::date - :w"
EXECUTE = ("EXECUTE findash_floor(':p1', ':p2', " + DAY + " - :span + 1), " + DAY + "), " + DAY + "), "
           + DAY + " - 2 * :span + 1), ':p7', :p8, ':p9');")
WARM_EXECUTIONS = 5


def executed_statements(log_text):
    """Texts of the `execute` records, in order (continuation lines start with a tab)."""
    out, current = [], None
    for line in log_text.split("\n"):
        if RECORD.match(line):
            if current is not None:
                out.append("\n".join(current))
                current = None
            m = EXECUTE_RECORD.search(line)
            if m:
                current = [m.group(1)]
        elif current is not None and line.startswith("\t"):
            current.append(line[1:])
        elif current is not None:
            out.append("\n".join(current))
            current = None
    if current is not None:
        out.append("\n".join(current))
    return out


def checked(statement):
    """pgbench must neither split the statement (';') nor substitute into it (':name')."""
    if ";" in statement or re.search(r"(?<!:):[A-Za-z_]", statement):
        raise SystemExit("floor.py: a statement contains ';' or ':name', which pgbench would split or substitute")
    return statement


def context_statement(statement):
    """The server's other per-request statement; its $1 and $2 are the tenant's type and id."""
    return re.sub(r"\$([12])(?![0-9])", r"':p\1'", checked(statement)) + ";"


def main():
    sql_dir, log_path, out_dir = sys.argv[1:4]
    generated = {e: open(f"{sql_dir}/{e}.sql").read() for e in ENDPOINTS}
    with open(log_path, errors="replace") as f:
        executed = executed_statements(f.read())
    is_dashboard = [s.lstrip().startswith("WITH params") for s in executed]
    dashboard_statements = [s for s, d in zip(executed, is_dashboard) if d]
    others = [s for s, d in zip(executed, is_dashboard) if not d]

    verify = {"checked": len(ENDPOINTS), "matched": [], "mismatched": [], "missing": [],
              "extra": sorted({re.sub(r"\s+", " ", s)[:160] for s in others}), "executed": len(executed)}
    chosen = {}
    for i, endpoint in enumerate(ENDPOINTS):
        if i >= len(dashboard_statements):
            verify["missing"].append(endpoint)
            chosen[endpoint] = generated[endpoint]
        elif dashboard_statements[i] == generated[endpoint]:
            verify["matched"].append(endpoint)
            chosen[endpoint] = generated[endpoint]
        else:
            verify["mismatched"].append(endpoint)
            chosen[endpoint] = dashboard_statements[i]

    context = [s for s in others if "set_config" in s]
    context_sql = context_statement(context[0]) if context else None
    verify["rls_context"] = context_sql is not None

    # Unmeasured executions: any window. Measured ones: bench/lua/uncached.lua's sequence,
    # k = base + n·clients + client (n counts this client's transactions).
    warm = ["\\set w random(0, :windows - 1)", "\\set p8 random(1, 100)"]
    draw = ["\\set k :base + :n * :clients + :client_id", "\\set n :n + 1", "\\set w (:k * :stride) % :windows",
            "\\set p8 1 + (:k / :windows) % 100"]
    for endpoint, statement in chosen.items():
        for name, before in ((endpoint, []), (endpoint + ".rls", [context_sql] if context_sql else [])):
            # Once per connection: prepare, then execute five times so that the measured
            # executions meet the plan cache in the state the server's long-lived pooled
            # connections are in (PostgreSQL decides on a generic plan after five custom ones).
            lines = ["\\if :prepared = 0", "PREPARE findash_floor AS " + checked(statement) + ";", *before]
            for _ in range(WARM_EXECUTIONS):
                lines += warm + [EXECUTE]
            lines += ["\\set prepared 1", "\\endif", *draw, *before, EXECUTE]
            with open(f"{out_dir}/{name}.pgbench", "w") as f:
                f.write("\n".join(lines) + "\n")
    with open(f"{out_dir}/verify.json", "w") as f:
        json.dump(verify, f)
        f.write("\n")
    print(json.dumps({k: verify[k] for k in ("matched", "mismatched", "missing")}))


if __name__ == "__main__":
    main()
