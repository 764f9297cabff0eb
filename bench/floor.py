#!/usr/bin/env python3
"""The floor's SQL: check it against what the server ran, write the pgbench scripts.

    floor.py SQL_DIR SERVER_LOG OUT_DIR

SQL_DIR holds <endpoint>.sql, the statements bench/sqlgen printed from
Sources/Dashboard/DashboardSQL.swift. SERVER_LOG is the PostgreSQL log of one request per
endpoint, in ENDPOINTS order, made with log_min_duration_statement = 0. The i-th executed
dashboard statement in the log belongs to the i-th endpoint: when its text differs from
sqlgen's, the logged text (what the server really runs) is used and the difference reported.
Statements the server ran besides the dashboard statements (the row-level-security context,
say) are reported too.

Writes OUT_DIR/<endpoint>.pgbench (the statement as the table owner: the floor) and
OUT_DIR/<endpoint>.rls.pgbench (the server's per-request statements before it, for the
`findash_reader` variant), and OUT_DIR/verify.json:
    {"checked": n, "matched": [...], "mismatched": [...], "missing": [...], "extra": [...]}

The scripts draw the same parameters as bench/lua/uncached.lua: a window of :span days ending
:w days before :today (w uniform in 0 … :windows − 1), top uniform in 1 … 100. The dates are
computed by one small query (\\gset) so the statement gets them as bound text parameters, as
from the server; its time is reported separately by `pgbench -r` and not counted.
"""
import json
import re
import sys

ENDPOINTS = ["dashboard", "summary", "accounts", "transactions", "budgets"]
RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \w+ \[\d+\] ")
EXECUTE = re.compile(r"LOG:  duration: [\d.]+ ms  execute [^:]+: (.*)$")

DATES = ("SELECT (:today::date - :w::int - :span::int + 1)::text AS p3, (:today::date - :w::int)::text AS p4, "
         "(:today::date - :w::int)::text AS p5, (:today::date - :w::int - 2 * :span::int + 1)::text AS p6 \\gset")


def executed_statements(log_text):
    """Texts of the `execute` records, in order (continuation lines start with a tab)."""
    out, current = [], None
    for line in log_text.split("\n"):
        if RECORD.match(line):
            if current is not None:
                out.append("\n".join(current))
                current = None
            m = EXECUTE.search(line)
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


def to_pgbench(statement):
    """$1 … $9 become pgbench variables :p1 … :p9 (bound as parameters with -M prepared)."""
    if ";" in statement:
        raise SystemExit("floor.py: a statement contains ';', which pgbench would split")
    return re.sub(r"\$([1-9])(?![0-9])", r":p\1", statement)


def main():
    sql_dir, log_path, out_dir = sys.argv[1:4]
    generated = {e: open(f"{sql_dir}/{e}.sql").read() for e in ENDPOINTS}
    with open(log_path, errors="replace") as f:
        executed = executed_statements(f.read())
    is_dashboard = [s.lstrip().startswith("WITH params") for s in executed]
    dashboard_statements = [s for s, d in zip(executed, is_dashboard) if d]
    extra = sorted({re.sub(r"\s+", " ", s)[:160] for s, d in zip(executed, is_dashboard) if not d})

    verify = {"checked": len(ENDPOINTS), "matched": [], "mismatched": [], "missing": [], "extra": extra,
              "executed": len(executed)}
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

    # The server's other per-request statements (the tenant context for row-level security),
    # with their parameters as the same pgbench variables.
    context = [s for s in executed if "set_config" in s and not s.lstrip().startswith("WITH params")]
    context_sql = to_pgbench(context[0]) if context else None
    verify["rls_context"] = context_sql is not None

    for endpoint, statement in chosen.items():
        body = to_pgbench(statement)
        head = ["\\set w random(0, :windows - 1)", "\\set p8 random(1, 100)", DATES]
        with open(f"{out_dir}/{endpoint}.pgbench", "w") as f:
            f.write("\n".join(head + [body + ";"]) + "\n")
        with open(f"{out_dir}/{endpoint}.rls.pgbench", "w") as f:
            f.write("\n".join(head + ([context_sql + ";"] if context_sql else []) + [body + ";"]) + "\n")
    with open(f"{out_dir}/verify.json", "w") as f:
        json.dump(verify, f)
        f.write("\n")
    print(json.dumps({k: verify[k] for k in ("matched", "mismatched", "missing")}))


if __name__ == "__main__":
    main()
