"""Formats of every dashboard answer (CONTRACT.md §2): money as strings with exactly two
decimals and never "-0.00", percentages as JSON numbers or null, dates YYYY-MM-DD, ids
lowercase canonical uuids, generated_at RFC 3339 UTC ending in Z, UTF-8 JSON bodies.

Data: fixtures/main.sql, fixtures/budgets.sql and fixtures/huge.sql.
"""

import json
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
import dashdata as dd  # noqa: E402

MONEY = {"total_assets", "total_liabilities", "net_worth", "income", "expenses", "net_cash_flow",
         "balance", "period_inflow", "period_outflow", "net", "average_expense", "amount",
         "budgeted", "spent", "remaining", "projected_spend"}
PERCENT = {"savings_rate", "share", "expenses_change_pct", "percent_used", "alert_threshold"}
DATES = {"from", "to", "as_of", "booked_on", "start", "period_start", "period_end"}
NULLABLE_DATES = {"last_transaction_on"}
INTEGERS = {"accounts_count", "transactions_count", "count", "days_elapsed", "days_remaining",
            "total", "on_track", "warning", "over_budget"}

MONEY_RE = re.compile(r"^-?\d+\.\d{2}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
RFC3339_UTC_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")

PATHS = [
    "/financial/dashboard/summary?from=2026-11-01&to=2026-11-21",
    "/financial/dashboard/accounts?from=2026-11-01&to=2026-11-21&include_inactive=true",
    "/financial/dashboard/transactions?from=2026-11-01&to=2026-11-21",
    "/financial/dashboard/transactions?from=2026-10-26&to=2026-11-22&granularity=week&top=100",
    "/financial/dashboard/budgets?from=2026-11-01&to=2026-11-21",
    "/financial/dashboard/budgets?from=2026-11-01&to=2026-11-30&as_of=2026-11-18",
    "/financial/dashboard?from=2026-11-01&to=2026-11-21&include_inactive=true",
]


@pytest.fixture(scope="module")
def datasets(psql):
    loaded = [dd.load(psql, "main", "fmt"),
              dd.load(psql, "budgets", "fmtbud", tenant_type="organization"),
              dd.load(psql, "huge", "fmthuge")]
    yield loaded
    for ds in loaded:
        dd.unload(psql, ds)


def walk(value, path, parent_key, problems, seen):
    if isinstance(value, dict):
        for key, item in value.items():
            here = "%s.%s" % (path, key)
            seen.add(key)
            if key in MONEY:
                if not (isinstance(item, str) and MONEY_RE.match(item)):
                    problems.append("%s: money must be a string like \"-1234.50\", got %r" % (here, item))
                elif item == "-0.00":
                    problems.append("%s: \"-0.00\"" % here)
            elif key in PERCENT:
                if item is not None and (isinstance(item, bool) or not isinstance(item, (int, float))):
                    problems.append("%s: percentage must be a number or null, got %r" % (here, item))
                elif isinstance(item, float) and round(item, 2) != item:
                    problems.append("%s: percentage has more than 2 decimals: %r" % (here, item))
            elif key in DATES or key in NULLABLE_DATES:
                ok = isinstance(item, str) and DATE_RE.match(item)
                if not ok and not (key in NULLABLE_DATES and item is None):
                    problems.append("%s: date must be YYYY-MM-DD, got %r" % (here, item))
            elif key in INTEGERS:
                if isinstance(item, bool) or not isinstance(item, int):
                    problems.append("%s: must be an integer, got %r" % (here, item))
            elif key == "id" and parent_key != "tenant":
                if not (isinstance(item, str) and UUID_RE.match(item)):
                    problems.append("%s: id must be a lowercase canonical uuid, got %r" % (here, item))
            elif key == "generated_at":
                if not (isinstance(item, str) and RFC3339_UTC_RE.match(item)):
                    problems.append("%s: must be RFC 3339 UTC ending in Z, got %r" % (here, item))
            elif key == "category":
                if not isinstance(item, str):
                    problems.append("%s: category must be a string (null -> \"uncategorized\"), got %r"
                                    % (here, item))
            walk(item, here, key, problems, seen)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            walk(item, "%s[%d]" % (path, i), parent_key, problems, seen)


@pytest.mark.parametrize("path", PATHS)
def test_formats(findash, datasets, path):
    problems = []
    for ds in datasets:
        status, headers, raw = dd.http_request(findash, "GET", path, token=ds.token())
        assert status == 200, "%s (%s): status %s, body %r" % (path, ds, status, raw[:2000])
        ctype = headers.get("content-type", "")
        assert ctype.startswith("application/json"), "%s: content-type %r" % (path, ctype)
        body = json.loads(raw.decode("utf-8"))  # must be UTF-8
        seen = set()
        walk(body, "$", None, problems, seen)
        if "summary" in path or path.startswith("/financial/dashboard?"):
            assert "generated_at" in seen, "%s: no generated_at" % path
    assert not problems, "format problems:\n  " + "\n  ".join(problems)


def test_lowercase_ids_from_uppercase_sql_literals(findash, get_json, datasets):
    main = datasets[0]
    body = dd.get_ok(get_json, findash, PATHS[1], main.token())
    ids = [a["id"] for a in body["accounts"] if a["name"] == "Wallet"]
    # inserted as '…-A0000000000A' and '…-A0000000000B'
    assert ids == [main.id("a0000000000a"), main.id("a0000000000b")], ids


def test_non_ascii_name_round_trips(findash, get_json, datasets):
    main = datasets[0]
    body = dd.get_ok(get_json, findash, PATHS[1], main.token())
    assert "\u00c9pargne" in [a["name"] for a in body["accounts"]], [a["name"] for a in body["accounts"]]
