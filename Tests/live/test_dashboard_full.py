"""GET /financial/dashboard: each member equals what the single endpoint returns under that
name for the same parameters (CONTRACT.md §4), ignoring generated_at.

Data: fixtures/main.sql (tenant user/fx_<session>_full) and fixtures/budgets.sql.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
import dashdata as dd  # noqa: E402

FULL = "/financial/dashboard"
SINGLE = {name: FULL + "/" + name for name in ("summary", "accounts", "transactions", "budgets")}

PARAMS = [
    "from=2026-11-01&to=2026-11-21",
    "from=2026-11-01&to=2026-11-21&include_inactive=true&granularity=week&top=3",
    "from=2026-10-11&to=2026-11-21&as_of=2026-11-18",
    "from=2026-11-01&to=2026-11-30&as_of=2026-11-18&granularity=month&top=1&include_inactive=false",
    "from=2026-12-28&to=2027-01-10&granularity=week",
]


@pytest.fixture(scope="module")
def main(psql):
    ds = dd.load(psql, "main", "full")
    yield ds
    dd.unload(psql, ds)


@pytest.fixture(scope="module")
def bud(psql):
    ds = dd.load(psql, "budgets", "fullbud", tenant_type="organization")
    yield ds
    dd.unload(psql, ds)


def fetch_all(findash, get_json, ds, params):
    token = ds.token()
    full = dd.get_ok(get_json, findash, FULL + "?" + params, token)
    single = {name: dd.get_ok(get_json, findash, path + "?" + params, token)
              for name, path in SINGLE.items()}
    return full, single


def check_members(full, single, params):
    s = single
    expected = {
        "tenant": s["summary"]["tenant"],
        "period": s["summary"]["period"],
        "as_of": s["budgets"]["as_of"],
        "summary": {k: s["summary"][k] for k in ("currencies", "accounts_count",
                                                 "transactions_count", "budgets")},
        "accounts": s["accounts"]["accounts"],
        "transactions": {"granularity": s["transactions"]["granularity"],
                         "currencies": s["transactions"]["currencies"]},
        "budgets": s["budgets"]["budgets"],
    }
    dd.check(expected, full, "full dashboard ?%s vs the single endpoints" % params)
    assert "generated_at" in full, dd.short(full)
    # the single endpoints agree on the period too
    for name in ("accounts", "transactions"):
        assert s[name]["period"] == s["summary"]["period"], (name, s[name]["period"], s["summary"]["period"])


@pytest.mark.parametrize("params", PARAMS)
def test_members_equal_single_endpoints(findash, get_json, main, params):
    full, single = fetch_all(findash, get_json, main, params)
    check_members(full, single, params)


@pytest.mark.parametrize("params", PARAMS[:3])
def test_members_equal_single_endpoints_budget_tenant(findash, get_json, bud, params):
    full, single = fetch_all(findash, get_json, bud, params)
    check_members(full, single, params)


def test_full_dashboard_hand_computed_anchors(findash, get_json, main):
    params = "from=2026-11-01&to=2026-11-21"
    body = dd.get_ok(get_json, findash, FULL + "?" + params, main.token())
    expected = {
        "tenant": {"type": "user", "id": main.tenant_id},
        "period": {"from": "2026-11-01", "to": "2026-11-21"},
        "as_of": "2026-11-21",
        # see test_dashboard_summary.py for the arithmetic
        "summary": {"accounts_count": 13, "transactions_count": 27,
                    "budgets": {"total": 3, "on_track": 1, "warning": 1, "over_budget": 1}},
        "transactions": {"granularity": "day"},
    }
    dd.check(expected, body, "full dashboard ?" + params)
    assert [c["currency"] for c in body["summary"]["currencies"]] == ["CHF", "EUR", "GBP", "JPY", "NOK", "USD"]
    assert [c["currency"] for c in body["transactions"]["currencies"]] == ["CHF", "EUR", "GBP", "JPY", "USD"]
    assert [a["name"] for a in body["accounts"]] == [
        "Wallet", "Wallet", "Main checking", "Tokyo", "Zeta", "alpha", "Amex", "Visa", "Brokerage",
        "Car loan", "Oslo", "Savings", "\u00c9pargne"]
    assert [b["name"] for b in body["budgets"]] == ["Groceries", "Housing", "Travel"]
    usd = dd.by_key(body["summary"]["currencies"], "currency")["USD"]
    dd.check({"total_assets": "16800.10", "total_liabilities": "9250.40", "net_worth": "7549.70",
              "income": "5000.05", "expenses": "4947.35", "net_cash_flow": "52.70",
              "savings_rate": 1.05}, usd, "full dashboard summary USD")
