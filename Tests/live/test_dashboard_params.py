"""Query parameters of the dashboard endpoints (CONTRACT.md §4 "Common query parameters"):
defaults, validation (400 problem+json naming the parameter), unknown parameters ignored.

Validation cases use an empty tenant; the default/ignored-parameter cases use
fixtures/isolation.sql.
"""

import datetime
import json
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
import dashdata as dd  # noqa: E402

EP = "/financial/dashboard"
ALL = [EP + "/summary", EP + "/accounts", EP + "/transactions", EP + "/budgets", EP]


@pytest.fixture(scope="module")
def empty_token():
    from support import make_token
    return make_token(tenant_type="user", tenant_id=dd.tenant_id("params_empty"))


@pytest.fixture(scope="module")
def iso(psql):
    ds = dd.load(psql, "isolation", "params")
    yield ds
    dd.unload(psql, ds)


def names_parameter(text, names):
    return any(re.search(r"(?<![A-Za-z_])%s(?![A-Za-z_])" % re.escape(n), text) for n in names)


def check_400(server, path, token, names):
    status, headers, raw = dd.http_request(server, "GET", path, token=token)
    where = "GET %s" % path
    assert status == 400, "%s: expected 400, got %s: %r" % (where, status, raw[:1000])
    ctype = headers.get("content-type", "")
    assert ctype.startswith("application/problem+json"), "%s: content-type %r" % (where, ctype)
    body = json.loads(raw)
    for key in ("type", "title", "status", "detail"):
        assert key in body, "%s: problem body lacks %r: %r" % (where, key, body)
    assert body["status"] == 400, "%s: problem status %r" % (where, body["status"])
    text = "%s %s" % (body.get("title"), body.get("detail"))
    assert names_parameter(text, names), "%s: neither title nor detail names %s: %r" % (
        where, " or ".join(names), body)
    for leak in ("SELECT", "Traceback", "postgres://", "postgresql://"):
        assert leak not in raw.decode("utf-8", "replace"), "%s: %r in the body" % (where, leak)


DATE_CASES = [
    # (query, parameter(s) the answer must name)
    ("from=2026-11-21&to=2026-11-01", ("from", "to")),     # from > to
    ("from=2026-02-30&to=2026-03-31", ("from",)),          # no 30 February
    ("from=2026-13-01&to=2026-12-31", ("from",)),          # no month 13
    ("from=2026-01-01&to=2026-13-01", ("to",)),
    ("from=2026-01-01&to=2026-02-29", ("to",)),            # 2026 is not a leap year
    ("from=2026-04-31&to=2026-05-01", ("from",)),
    ("from=2026-11-00&to=2026-11-21", ("from",)),
    ("from=26-01-01&to=2026-01-31", ("from",)),             # two-digit year
    ("from=2026-1-1&to=2026-01-31", ("from",)),             # not zero-padded
    ("from=2026-01-01&to=2026-1-31", ("to",)),
    ("from=20261101&to=2026-11-21", ("from",)),
    ("from=2026-11-01T00:00:00Z&to=2026-11-21", ("from",)),
    ("from=yesterday&to=2026-11-21", ("from",)),
    ("from=2026-11-01&to=2026-11-21&as_of=2026-02-30", ("as_of",)),
    ("from=2026-11-01&to=2026-11-21&as_of=2026-11-1", ("as_of",)),
    ("to=2026-11-21x", ("to",)),
    # 2020-01-01..2025-01-04 is 1,831 days (366 + 365 + 365 + 365 + 366 = 1827 to 2024-12-31, + 4)
    ("from=2020-01-01&to=2025-01-04", ("from", "to")),
]


@pytest.mark.parametrize("query,names", DATE_CASES, ids=[q for q, _ in DATE_CASES])
def test_bad_dates_are_400_on_every_endpoint(findash, empty_token, query, names):
    for path in ALL:
        check_400(findash, path + "?" + query, empty_token, names)


def test_range_of_exactly_1830_days_is_accepted(findash, get_json, empty_token):
    # 2020-01-01..2025-01-03 = 1827 + 3 = 1,830 days
    for path in ALL:
        q = "?from=2020-01-01&to=2025-01-03"
        body = dd.get_ok(get_json, findash, path + q, empty_token)
        if "period" in body:
            assert body["period"] == {"from": "2020-01-01", "to": "2025-01-03"}, body["period"]
    body = dd.get_ok(get_json, findash, EP + "/transactions?from=2020-01-01&to=2025-01-03", empty_token)
    assert body["granularity"] == "month"   # 1,830 > 183


def test_single_day_range_is_accepted(findash, get_json, empty_token):
    body = dd.get_ok(get_json, findash, EP + "/transactions?from=2028-02-29&to=2028-02-29", empty_token)
    dd.check({"period": {"from": "2028-02-29", "to": "2028-02-29"}, "granularity": "day",
              "currencies": []}, body, "one-day range")


TOP_CASES = ["top=0", "top=101", "top=abc", "top=-1", "top=1.5", "top=10x", "top=1e1"]


@pytest.mark.parametrize("query", TOP_CASES)
def test_bad_top_is_400(findash, empty_token, query):
    for path in (EP + "/transactions", EP):
        check_400(findash, path + "?from=2026-11-01&to=2026-11-21&" + query, empty_token, ("top",))


def test_top_bounds_are_accepted(findash, get_json, empty_token):
    for top in (1, 100):
        for path in (EP + "/transactions", EP):
            dd.get_ok(get_json, findash, path + "?from=2026-11-01&to=2026-11-21&top=%d" % top, empty_token)


@pytest.mark.parametrize("query", ["include_inactive=yes", "include_inactive=1", "include_inactive=no",
                                   "include_inactive=maybe"])
def test_bad_include_inactive_is_400(findash, empty_token, query):
    for path in (EP + "/accounts", EP):
        check_400(findash, path + "?from=2026-11-01&to=2026-11-21&" + query, empty_token,
                  ("include_inactive",))


@pytest.mark.parametrize("query", ["granularity=year", "granularity=hour", "granularity=days",
                                   "granularity=quarter"])
def test_bad_granularity_is_400(findash, empty_token, query):
    for path in (EP + "/transactions", EP):
        check_400(findash, path + "?from=2026-11-01&to=2026-11-21&" + query, empty_token,
                  ("granularity",))


def test_every_valid_granularity_is_accepted(findash, get_json, empty_token):
    for g in ("day", "week", "month"):
        body = dd.get_ok(get_json, findash,
                         EP + "/transactions?from=2026-11-01&to=2026-11-21&granularity=" + g, empty_token)
        assert body["granularity"] == g


def strip_generated(body):
    body = dict(body)
    body.pop("generated_at", None)
    return body


def test_unknown_parameters_are_ignored(findash, get_json, iso):
    token = iso.token()
    base = "?from=2026-11-01&to=2026-11-21"
    extra = "&foo=bar&utm_source=test&page=2&limit=1&sort=desc&currency=EUR&flag"
    for path in ALL:
        plain = dd.get_ok(get_json, findash, path + base, token)
        noisy = dd.get_ok(get_json, findash, path + base + extra, token)
        dd.check(strip_generated(plain), strip_generated(noisy),
                 "%s with unknown parameters vs without" % path)
    # and they still are with the data's one currency USD (not filtered to EUR by `currency`)
    body = dd.get_ok(get_json, findash, EP + "/summary" + base + extra, token)
    assert [c["currency"] for c in body["currencies"]] == ["USD"], body["currencies"]


def test_to_alone_defaults_from_to_first_of_its_month(findash, get_json, iso):
    token = iso.token()
    for to, first in (("2026-11-21", "2026-11-01"), ("2026-11-01", "2026-11-01"),
                      ("2028-02-29", "2028-02-01"), ("2026-12-31", "2026-12-01")):
        body = dd.get_ok(get_json, findash, EP + "/summary?to=" + to, token)
        assert body["period"] == {"from": first, "to": to}, (to, body["period"])
        body = dd.get_ok(get_json, findash, EP + "/budgets?to=" + to, token)
        assert body["as_of"] == to, (to, body["as_of"])   # as_of defaults to `to`
    # the user/iso data in 2026-11-01..21: +10.00 income, -3.00 expense (see isolation.sql)
    body = dd.get_ok(get_json, findash, EP + "/summary?to=2026-11-21", token)
    dd.check({"currencies": [{"currency": "USD", "income": "10.00", "expenses": "3.00"}],
              "transactions_count": 2}, body, "summary?to=2026-11-21")


def test_as_of_alone(findash, get_json, iso):
    body = dd.get_ok(get_json, findash,
                     EP + "/budgets?from=2026-11-01&to=2026-11-21&as_of=2026-11-05", iso.token())
    # "User food" (monthly): as_of 11-05 is before the -3.00 of 11-06 -> spent 0.00;
    # elapsed 11-01..05 = 5, remaining 06..30 = 25
    dd.check({"as_of": "2026-11-05",
              "budgets": [{"name": "User food", "period_start": "2026-11-01", "period_end": "2026-11-30",
                           "spent": "0.00", "remaining": "10.00", "percent_used": 0.0,
                           "status": "on_track", "alert": None, "projected_spend": "0.00",
                           "days_elapsed": 5, "days_remaining": 25}]}, body, "budgets as_of=2026-11-05")


def test_defaults_follow_todays_utc_date(findash, get_json, iso):
    token = iso.token()

    def today():
        return datetime.datetime.now(datetime.timezone.utc).date()

    for path in ALL:
        before = today()
        body = dd.get_ok(get_json, findash, path, token)
        after = today()
        if path.endswith("/budgets"):
            assert body["as_of"] in (before.isoformat(), after.isoformat()), body["as_of"]
            continue
        period = body["period"]
        to = datetime.date.fromisoformat(period["to"])
        assert to in (before, after), "default `to` should be today (UTC) %s, got %s" % (after, period)
        assert period["from"] == to.replace(day=1).isoformat(), \
            "default `from` should be the first day of %s, got %s" % (to, period)
        if path == EP:
            assert body["as_of"] == period["to"], body["as_of"]
        if path.endswith("/transactions"):
            # the default range is at most 31 days -> day
            assert body["granularity"] == "day"
            length = to.day
            for c in body["currencies"]:
                prev = c["previous_period"]
                prev_to = to.replace(day=1) - datetime.timedelta(days=1)
                prev_from = to.replace(day=1) - datetime.timedelta(days=length)
                assert (prev["from"], prev["to"]) == (prev_from.isoformat(), prev_to.isoformat()), prev
                assert len(c["trend"]) == length
