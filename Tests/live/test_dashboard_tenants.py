"""Tenancy on every dashboard endpoint (CONTRACT.md §3, §4):

- an empty tenant gets 200 with zeros, nulls and empty lists, never an error;
- user/X and organization/X (the same tenant_id) each see only their own rows;
- the tenant comes from the token only, never from a parameter or a header.

Data: fixtures/isolation.sql (both tenant types under one tenant_id).
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
import dashdata as dd  # noqa: E402

P = "from=2026-11-01&to=2026-11-21"
EP = "/financial/dashboard"


@pytest.fixture(scope="module")
def iso(psql):
    ds = dd.load(psql, "isolation", "iso")
    yield ds
    dd.unload(psql, ds)


# ------------------------------------------------------------------------- empty tenant

@pytest.mark.parametrize("tenant_type", ["user", "organization"])
def test_empty_tenant_every_endpoint(findash, get_json, tenant_type):
    from support import make_token
    tid = dd.tenant_id("empty")
    token = make_token(tenant_type=tenant_type, tenant_id=tid)
    period = {"from": "2026-11-01", "to": "2026-11-21"}
    no_budgets = {"total": 0, "on_track": 0, "warning": 0, "over_budget": 0}
    cases = [
        (EP + "/summary?" + P,
         {"tenant": {"type": tenant_type, "id": tid}, "period": period, "currencies": [],
          "accounts_count": 0, "transactions_count": 0, "budgets": no_budgets}),
        (EP + "/accounts?" + P, {"period": period, "accounts": []}),
        (EP + "/accounts?" + P + "&include_inactive=true", {"period": period, "accounts": []}),
        (EP + "/transactions?" + P, {"period": period, "granularity": "day", "currencies": []}),
        (EP + "/transactions?" + P + "&granularity=week&top=1",
         {"period": period, "granularity": "week", "currencies": []}),
        (EP + "/budgets?" + P, {"as_of": "2026-11-21", "budgets": []}),
        (EP + "?" + P,
         {"tenant": {"type": tenant_type, "id": tid}, "period": period, "as_of": "2026-11-21",
          "summary": {"currencies": [], "accounts_count": 0, "transactions_count": 0,
                      "budgets": no_budgets},
          "accounts": [], "transactions": {"granularity": "day", "currencies": []},
          "budgets": []}),
    ]
    for path, expected in cases:
        body = dd.get_ok(get_json, findash, path, token)
        dd.check(expected, body, "empty tenant " + path)
    # no parameters at all (today's month): still 200 and empty
    for path in (EP + "/summary", EP + "/accounts", EP + "/transactions", EP + "/budgets", EP):
        body = dd.get_ok(get_json, findash, path, token)
        if path.endswith("/summary"):
            dd.check({"currencies": [], "accounts_count": 0, "transactions_count": 0,
                      "budgets": no_budgets}, body, "empty tenant " + path)


# ------------------------------------------------------------------------- isolation

def expected_user(ds):
    # user/X: User checking USD 100.00; +10.00 income (11-05), -3.00 food (11-06);
    # budget "User food" 10.00 monthly: spent 3.00 = 30 % on_track; 3 / 21 * 30 = 4.2857 -> 4.29
    account = {"id": ds.id("a00000000001"), "name": "User checking", "type": "checking",
               "currency": "USD", "balance": "100.00", "is_active": True,
               "period_inflow": "10.00", "period_outflow": "3.00", "transactions_count": 2,
               "last_transaction_on": "2026-11-06"}
    summary_currencies = [{"currency": "USD", "total_assets": "100.00", "total_liabilities": "0.00",
                           "net_worth": "100.00", "income": "10.00", "expenses": "3.00",
                           "net_cash_flow": "7.00", "savings_rate": 70.0}]   # 7 / 10 * 100
    txn_currencies = [{"currency": "USD", "income": "10.00", "expenses": "3.00", "net": "7.00",
                       "count": 2, "average_expense": "3.00",
                       "largest_expense": {"id": ds.id("c00000000002"), "amount": "-3.00",
                                           "description": "user expense", "category": "food",
                                           "booked_on": "2026-11-06"},
                       "by_category": [{"category": "food", "expenses": "3.00", "count": 1,
                                        "share": 100.0}]}]
    budgets = [{"id": ds.id("d00000000001"), "name": "User food", "currency": "USD",
                "spent": "3.00", "remaining": "7.00", "percent_used": 30.0, "status": "on_track",
                "alert": None, "projected_spend": "4.29"}]
    counts = {"total": 1, "on_track": 1, "warning": 0, "over_budget": 0}
    return account, summary_currencies, txn_currencies, budgets, counts


def expected_org(ds):
    # organization/X: Org checking EUR 200.00; -20.00 food (11-07);
    # budget "Org food" 10.00: spent 20.00 = 200 % over_budget; 20 / 21 * 30 = 28.571 -> 28.57
    account = {"id": ds.id("a00000000002"), "name": "Org checking", "type": "checking",
               "currency": "EUR", "balance": "200.00", "is_active": True,
               "period_inflow": "0.00", "period_outflow": "20.00", "transactions_count": 1,
               "last_transaction_on": "2026-11-07"}
    summary_currencies = [{"currency": "EUR", "total_assets": "200.00", "total_liabilities": "0.00",
                           "net_worth": "200.00", "income": "0.00", "expenses": "20.00",
                           "net_cash_flow": "-20.00", "savings_rate": None}]
    txn_currencies = [{"currency": "EUR", "income": "0.00", "expenses": "20.00", "net": "-20.00",
                       "count": 1, "average_expense": "20.00",
                       "largest_expense": {"id": ds.id("c00000000003"), "amount": "-20.00",
                                           "description": "org expense", "category": "food",
                                           "booked_on": "2026-11-07"},
                       "by_category": [{"category": "food", "expenses": "20.00", "count": 1,
                                        "share": 100.0}]}]
    budgets = [{"id": ds.id("d00000000002"), "name": "Org food", "currency": "EUR",
                "spent": "20.00", "remaining": "-10.00", "percent_used": 200.0,
                "status": "over_budget", "alert": {"level": "critical"}, "projected_spend": "28.57"}]
    counts = {"total": 1, "on_track": 0, "warning": 0, "over_budget": 1}
    return account, summary_currencies, txn_currencies, budgets, counts


def check_tenant_view(findash, get_json, ds, tenant_type, expected, suffix=""):
    account, summary_currencies, txn_currencies, budgets, counts = expected
    token = ds.token(tenant_type=tenant_type)
    who = "%s/%s" % (tenant_type, ds.tenant_id)
    s = dd.get_ok(get_json, findash, EP + "/summary?" + P + suffix, token)
    dd.check({"tenant": {"type": tenant_type, "id": ds.tenant_id}, "currencies": summary_currencies,
              "accounts_count": 1, "transactions_count": txn_currencies[0]["count"],
              "budgets": counts}, s, who + " summary")
    a = dd.get_ok(get_json, findash, EP + "/accounts?" + P + "&include_inactive=true" + suffix, token)
    dd.check({"accounts": [account]}, a, who + " accounts")
    t = dd.get_ok(get_json, findash, EP + "/transactions?" + P + suffix, token)
    dd.check({"currencies": txn_currencies}, t, who + " transactions")
    b = dd.get_ok(get_json, findash, EP + "/budgets?" + P + suffix, token)
    dd.check({"budgets": budgets}, b, who + " budgets")
    f = dd.get_ok(get_json, findash, EP + "?" + P + "&include_inactive=true" + suffix, token)
    dd.check({"tenant": {"type": tenant_type, "id": ds.tenant_id},
              "summary": {"currencies": summary_currencies, "budgets": counts},
              "accounts": [account], "transactions": {"currencies": txn_currencies},
              "budgets": budgets}, f, who + " full dashboard")


def test_user_sees_only_user_rows(findash, get_json, iso):
    check_tenant_view(findash, get_json, iso, "user", expected_user(iso))


def test_organization_sees_only_organization_rows(findash, get_json, iso):
    check_tenant_view(findash, get_json, iso, "organization", expected_org(iso))


def test_tenant_parameters_in_the_url_are_ignored(findash, get_json, iso):
    # a user token asking for the organization's data through parameters still sees its own
    suffix = "&tenant_type=organization&tenant_id=%s&tenant=organization" % iso.tenant_id
    check_tenant_view(findash, get_json, iso, "user", expected_user(iso), suffix)


def test_tenant_headers_are_ignored(findash, iso):
    import json
    token = iso.token(tenant_type="user")
    headers = {"X-Tenant-Type": "organization", "X-Tenant-ID": iso.tenant_id,
               "X-Tenant": "organization/" + iso.tenant_id}
    for path in (EP + "/summary?" + P, EP + "/accounts?" + P, EP + "/budgets?" + P):
        status, _, raw = dd.http_request(findash, "GET", path, headers=headers, token=token)
        assert status == 200, (path, status, raw[:1000])
        body = json.loads(raw)
        text = json.dumps(body)
        assert "Org checking" not in text and "Org food" not in text and '"EUR"' not in text, (
            "user token + tenant headers leaked organization rows on %s:\n%s" % (path, dd.short(body)))
        if "summary" in path:
            assert body["tenant"] == {"type": "user", "id": iso.tenant_id}, body["tenant"]


def test_other_tenant_id_sees_nothing(findash, get_json, iso):
    from support import make_token
    token = make_token(tenant_type="user", tenant_id=iso.tenant_id + "x")
    body = dd.get_ok(get_json, findash, EP + "?" + P + "&include_inactive=true", token)
    dd.check({"summary": {"currencies": [], "accounts_count": 0, "transactions_count": 0},
              "accounts": [], "transactions": {"currencies": []}, "budgets": []},
             body, "tenant %sx (no rows)" % iso.tenant_id)
