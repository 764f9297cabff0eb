"""GET /financial/dashboard/transactions against hand-computed answers (CONTRACT.md §4).

Data: fixtures/main.sql (tenant user/fx_<session>_txn), fixtures/calendar.sql (ISO week
across 2026/2027, leap day 2028-02-29) and fixtures/huge.sql.

Main period 2026-11-01 (Sunday) .. 2026-11-21 (Saturday), 21 days:
  previous period = the 21 days ending 2026-10-31 = 2026-10-11..2026-10-31;
  ISO weeks overlapping it start 2026-10-26 (only 11-01 inside), 11-02, 11-09, 11-16.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
import dashdata as dd  # noqa: E402

BASE = "/financial/dashboard/transactions"
MAIN = BASE + "?from=2026-11-01&to=2026-11-21"
ZERO = ("0.00", "0.00", "0.00")


def trend(*rows):
    return [{"start": s, "income": i, "expenses": e, "net": n} for (s, i, e, n) in rows]


def cat(category, expenses, count, share):
    return {"category": category, "expenses": expenses, "count": count, "share": share}


def largest(ds, suffix, amount, description, category, booked_on):
    return {"id": ds.id(suffix), "amount": amount, "description": description,
            "category": category, "booked_on": booked_on}


@pytest.fixture(scope="module")
def main(psql):
    ds = dd.load(psql, "main", "txn")
    yield ds
    dd.unload(psql, ds)


@pytest.fixture(scope="module")
def cal(psql):
    ds = dd.load(psql, "calendar", "txncal")
    yield ds
    dd.unload(psql, ds)


@pytest.fixture(scope="module")
def huge(psql):
    ds = dd.load(psql, "huge", "txnhuge")
    yield ds
    dd.unload(psql, ds)


# --------------------------------------------------------------------------- main period

USD_DAYS = trend(
    ("2026-11-01", "5000.00", "3000.00", "2000.00"),   # Salary; Rent 1500 + Hotel 1500
    ("2026-11-02", *ZERO),
    ("2026-11-03", "0.00", "82.35", "-82.35"),
    ("2026-11-04", *ZERO),
    ("2026-11-05", "0.00", "120.10", "-120.10"),
    ("2026-11-06", *ZERO),
    ("2026-11-07", "0.00", "-20.10", "20.10"),         # only a refund: expenses = -(+20.10)
    ("2026-11-08", *ZERO),                             # CHF only
    ("2026-11-09", "0.00", "200.00", "-200.00"),       # Dentist, on an inactive account
    ("2026-11-10", *ZERO),                             # transfers only
    ("2026-11-11", *ZERO),
    ("2026-11-12", "0.00", "45.00", "-45.00"),
    ("2026-11-13", *ZERO),
    ("2026-11-14", "0.00", "20.00", "-20.00"),         # 19.99 + 0.01
    ("2026-11-15", "0.00", "1500.00", "-1500.00"),
    ("2026-11-16", *ZERO),
    ("2026-11-17", *ZERO),
    ("2026-11-18", *ZERO),
    ("2026-11-19", *ZERO),
    ("2026-11-20", "0.05", "0.00", "0.05"),
    ("2026-11-21", *ZERO),                             # (-999.99 on 11-22 is after `to`)
)
CHF_DAYS = trend(
    ("2026-11-01", *ZERO),
    ("2026-11-02", *ZERO),
    ("2026-11-03", *ZERO),
    ("2026-11-04", *ZERO),
    ("2026-11-05", *ZERO),
    ("2026-11-06", *ZERO),
    ("2026-11-07", *ZERO),
    ("2026-11-08", "0.00", "40.00", "-40.00"),
    ("2026-11-09", "0.00", "-40.00", "40.00"),
    ("2026-11-10", *ZERO),
    ("2026-11-11", *ZERO),
    ("2026-11-12", *ZERO),
    ("2026-11-13", *ZERO),
    ("2026-11-14", *ZERO),
    ("2026-11-15", *ZERO),
    ("2026-11-16", *ZERO),
    ("2026-11-17", *ZERO),
    ("2026-11-18", *ZERO),
    ("2026-11-19", *ZERO),
    ("2026-11-20", *ZERO),
    ("2026-11-21", *ZERO),
)
EUR_DAYS = trend(
    ("2026-11-01", *ZERO),
    ("2026-11-02", "2000.00", "0.00", "2000.00"),
    ("2026-11-03", "0.00", "1200.00", "-1200.00"),
    ("2026-11-04", *ZERO),
    ("2026-11-05", *ZERO),
    ("2026-11-06", "0.00", "779.90", "-779.90"),
    ("2026-11-07", *ZERO),
    ("2026-11-08", *ZERO),
    ("2026-11-09", *ZERO),
    ("2026-11-10", *ZERO),                             # transfers only
    ("2026-11-11", *ZERO),
    ("2026-11-12", *ZERO),
    ("2026-11-13", *ZERO),
    ("2026-11-14", *ZERO),
    ("2026-11-15", *ZERO),
    ("2026-11-16", *ZERO),
    ("2026-11-17", *ZERO),
    ("2026-11-18", *ZERO),
    ("2026-11-19", *ZERO),
    ("2026-11-20", *ZERO),
    ("2026-11-21", *ZERO),
)
GBP_DAYS = trend(
    ("2026-11-01", *ZERO),
    ("2026-11-02", "1000.00", "0.00", "1000.00"),
    ("2026-11-03", *ZERO),
    ("2026-11-04", "0.00", "250.00", "-250.00"),
    ("2026-11-05", "0.00", "751.25", "-751.25"),
    ("2026-11-06", *ZERO),
    ("2026-11-07", *ZERO),
    ("2026-11-08", *ZERO),
    ("2026-11-09", *ZERO),
    ("2026-11-10", *ZERO),
    ("2026-11-11", *ZERO),
    ("2026-11-12", *ZERO),
    ("2026-11-13", *ZERO),
    ("2026-11-14", *ZERO),
    ("2026-11-15", *ZERO),
    ("2026-11-16", *ZERO),
    ("2026-11-17", *ZERO),
    ("2026-11-18", *ZERO),
    ("2026-11-19", *ZERO),
    ("2026-11-20", *ZERO),
    ("2026-11-21", *ZERO),
)
JPY_DAYS = trend(
    ("2026-11-01", *ZERO),
    ("2026-11-02", *ZERO),
    ("2026-11-03", *ZERO),
    ("2026-11-04", *ZERO),
    ("2026-11-05", "0.00", "1500.00", "-1500.00"),
    ("2026-11-06", "0.00", "3000.00", "-3000.00"),
    ("2026-11-07", "0.00", "1500.00", "-1500.00"),
    ("2026-11-08", *ZERO),
    ("2026-11-09", *ZERO),
    ("2026-11-10", *ZERO),
    ("2026-11-11", *ZERO),
    ("2026-11-12", *ZERO),
    ("2026-11-13", *ZERO),
    ("2026-11-14", *ZERO),
    ("2026-11-15", *ZERO),
    ("2026-11-16", *ZERO),
    ("2026-11-17", *ZERO),
    ("2026-11-18", *ZERO),
    ("2026-11-19", *ZERO),
    ("2026-11-20", *ZERO),
    ("2026-11-21", *ZERO),
)


def main_currencies(ds):
    """The hand-computed currencies of 2026-11-01..2026-11-21 (top 10, day trend)."""
    return [
        # CHF (two transactions on the USD account): -40.00 on 11-08, refund +40.00 on 11-09
        {"currency": "CHF", "income": "0.00",
         "expenses": "0.00",                 # -(-40.00 + 40.00), never "-0.00"
         "net": "0.00", "count": 2,
         "average_expense": "0.00",          # 0.00 / 2 expense transactions
         "largest_expense": largest(ds, "c00000000020", "-40.00", "Swiss fee", "fees", "2026-11-08"),
         # category "fees" has expense transactions but its expenses are 0.00 and so are the
         # currency's: share null
         "by_category": [cat("fees", "0.00", 2, None)],
         "trend": CHF_DAYS,
         "previous_period": {"from": "2026-10-11", "to": "2026-10-31", "income": "0.00",
                             "expenses": "0.00", "expenses_change_pct": None}},
        # EUR: income 2000.00; expenses 1200.00 + 779.90 = 1979.90; net 20.10;
        #   count 5 (income, 2 expenses, 2 transfers); average 1979.90 / 2 = 989.95
        {"currency": "EUR", "income": "2000.00", "expenses": "1979.90", "net": "20.10", "count": 5,
         "average_expense": "989.95",
         "largest_expense": largest(ds, "c00000000031", "-1200.00", "Miete", "housing", "2026-11-03"),
         # shares: 1200 / 1979.90 = 60.6091 % -> 60.61; 779.90 / 1979.90 = 39.3909 % -> 39.39
         "by_category": [cat("housing", "1200.00", 1, 60.61), cat("shopping", "779.90", 1, 39.39)],
         "trend": EUR_DAYS,
         "previous_period": {"from": "2026-10-11", "to": "2026-10-31", "income": "0.00",
                             "expenses": "0.00", "expenses_change_pct": None}},
        # GBP (inactive account): income 1000.00; expenses 250.00 + 751.25 = 1001.25; net -1.25
        #   average 1001.25 / 2 = 500.625 -> 500.63 (half away from zero)
        {"currency": "GBP", "income": "1000.00", "expenses": "1001.25", "net": "-1.25", "count": 3,
         "average_expense": "500.63",
         "largest_expense": largest(ds, "c00000000052", "-751.25", "Rent", "housing", "2026-11-05"),
         # 751.25 / 1001.25 = 75.0312 % -> 75.03; 250.00 / 1001.25 = 24.9688 % -> 24.97
         "by_category": [cat("housing", "751.25", 1, 75.03), cat("groceries", "250.00", 1, 24.97)],
         "trend": GBP_DAYS,
         "previous_period": {"from": "2026-10-11", "to": "2026-10-31", "income": "0.00",
                             "expenses": "0.00", "expenses_change_pct": None}},
        # JPY: expenses 1500 + 3000 + 1500 = 6000.00; average 6000 / 3 = 2000.00
        {"currency": "JPY", "income": "0.00", "expenses": "6000.00", "net": "-6000.00", "count": 3,
         "average_expense": "2000.00",
         "largest_expense": largest(ds, "c00000000041", "-3000.00", "Shinkansen", "transport", "2026-11-06"),
         # dining and shopping tie at 1500.00: by category name
         "by_category": [cat("transport", "3000.00", 1, 50.0), cat("dining", "1500.00", 1, 25.0),
                         cat("shopping", "1500.00", 1, 25.0)],
         "trend": JPY_DAYS,
         # previous: Ramen -2000.00 (10-20); change (6000 - 2000) / 2000 * 100 = 200
         "previous_period": {"from": "2026-10-11", "to": "2026-10-31", "income": "0.00",
                             "expenses": "2000.00", "expenses_change_pct": 200.0}},
        # NOK: no transaction in the period (only in the previous one) -> absent
        # USD: income 5000.00 + 0.05 = 5000.05
        #   expenses 1500 + 1500 + 1500 + 82.35 + 120.10 - 20.10 + 45.00 + 200.00 + 19.99 + 0.01 = 4947.35
        #   net 52.70; count 14 = 2 income + 10 expense + 2 transfer
        #   average 4947.35 / 10 = 494.735 -> 494.74 (half away from zero)
        #   largest: three at -1500.00; Flight (11-15) has the smallest id but is later; Rent and
        #   Hotel are both 11-01 and Rent's id (…c02) is smaller than Hotel's (…c03) -> Rent
        {"currency": "USD", "income": "5000.05", "expenses": "4947.35", "net": "52.70", "count": 14,
         "average_expense": "494.74",
         "largest_expense": largest(ds, "c00000000002", "-1500.00", "Rent", "housing", "2026-11-01"),
         # travel 1500 + 1500 = 3000.00 (2): 3000 / 4947.35 = 60.6385 % -> 60.64
         # housing 1500.00 (1): 30.3193 % -> 30.32
         # health 200.00 (1, inactive account): 4.0426 % -> 4.04
         # groceries 82.35 + 120.10 - 20.10 = 182.35 (3, refund included): 3.6858 % -> 3.69
         # uncategorized (null category) 45.00 (1): 0.9096 % -> 0.91
         # dining 19.99 + 0.01 = 20.00 (2): 0.4043 % -> 0.40
         "by_category": [cat("travel", "3000.00", 2, 60.64), cat("housing", "1500.00", 1, 30.32),
                         cat("health", "200.00", 1, 4.04), cat("groceries", "182.35", 3, 3.69),
                         cat("uncategorized", "45.00", 1, 0.91), cat("dining", "20.00", 2, 0.4)],
         "trend": USD_DAYS,
         # previous: Bonus +1000.00 (10-11, first day), -300.00 (10-31, last day); -100.00 on 10-10
         #   is outside. change (4947.35 - 300) / 300 * 100 = 1549.1167 -> 1549.12
         "previous_period": {"from": "2026-10-11", "to": "2026-10-31", "income": "1000.00",
                             "expenses": "300.00", "expenses_change_pct": 1549.12}},
    ]


def test_main_period(findash, get_json, main):
    body = dd.get_ok(get_json, findash, MAIN, main.token())
    expected = {"period": {"from": "2026-11-01", "to": "2026-11-21"},
                "granularity": "day",        # 21 days <= 31
                "currencies": main_currencies(main)}
    dd.check(expected, body, "transactions " + MAIN)


def test_top_limits_by_category(findash, get_json, main):
    for top, usd, jpy in [
        (1, [cat("travel", "3000.00", 2, 60.64)], [cat("transport", "3000.00", 1, 50.0)]),
        (2, [cat("travel", "3000.00", 2, 60.64), cat("housing", "1500.00", 1, 30.32)],
         [cat("transport", "3000.00", 1, 50.0), cat("dining", "1500.00", 1, 25.0)]),
    ]:
        path = MAIN + "&top=%d" % top
        body = dd.get_ok(get_json, findash, path, main.token())
        got = dd.by_key(body["currencies"], "currency")
        dd.check(usd, got["USD"]["by_category"], "USD by_category " + path, full=body)
        dd.check(jpy, got["JPY"]["by_category"], "JPY by_category " + path, full=body)
        # everything else is unaffected by `top`
        dd.check({"expenses": "4947.35", "count": 14, "average_expense": "494.74"}, got["USD"],
                 "USD " + path, full=body)


def test_top_100_lists_all_categories(findash, get_json, main):
    body = dd.get_ok(get_json, findash, MAIN + "&top=100", main.token())
    got = dd.by_key(body["currencies"], "currency")
    assert [c["category"] for c in got["USD"]["by_category"]] == [
        "travel", "housing", "health", "groceries", "uncategorized", "dining"]


def test_weekly_trend_buckets_may_start_before_from(findash, get_json, main):
    path = MAIN + "&granularity=week"
    body = dd.get_ok(get_json, findash, path, main.token())
    assert body.get("granularity") == "week", dd.short(body)
    expected = {
        # week of 2026-10-26 holds only 2026-11-01 of the period (the -300.00 of 10-31 is outside)
        "USD": trend(("2026-10-26", "5000.00", "3000.00", "2000.00"),
                     ("2026-11-02", "0.00", "182.35", "-182.35"),    # 82.35 + 120.10 - 20.10
                     ("2026-11-09", "0.00", "1765.00", "-1765.00"),  # 200 + 45 + 20 + 1500
                     ("2026-11-16", "0.05", "0.00", "0.05")),
        "CHF": trend(("2026-10-26", *ZERO),
                     ("2026-11-02", "0.00", "40.00", "-40.00"),      # 11-08 is that week's Sunday
                     ("2026-11-09", "0.00", "-40.00", "40.00"),
                     ("2026-11-16", *ZERO)),
        "EUR": trend(("2026-10-26", *ZERO),
                     ("2026-11-02", "2000.00", "1979.90", "20.10"),
                     ("2026-11-09", *ZERO),
                     ("2026-11-16", *ZERO)),
        "GBP": trend(("2026-10-26", *ZERO),
                     ("2026-11-02", "1000.00", "1001.25", "-1.25"),
                     ("2026-11-09", *ZERO),
                     ("2026-11-16", *ZERO)),
        "JPY": trend(("2026-10-26", *ZERO),
                     ("2026-11-02", "0.00", "6000.00", "-6000.00"),
                     ("2026-11-09", *ZERO),
                     ("2026-11-16", *ZERO)),
    }
    got = dd.by_key(body["currencies"], "currency")
    assert sorted(got) == sorted(expected), dd.short(body)
    for currency, buckets in expected.items():
        dd.check(buckets, got[currency]["trend"], "%s trend %s" % (currency, path), full=body)


def test_monthly_trend(findash, get_json, main):
    path = MAIN + "&granularity=month"
    body = dd.get_ok(get_json, findash, path, main.token())
    assert body.get("granularity") == "month", dd.short(body)
    expected = {
        "CHF": trend(("2026-11-01", "0.00", "0.00", "0.00")),
        "EUR": trend(("2026-11-01", "2000.00", "1979.90", "20.10")),
        "GBP": trend(("2026-11-01", "1000.00", "1001.25", "-1.25")),
        "JPY": trend(("2026-11-01", "0.00", "6000.00", "-6000.00")),
        # the -999.99 on 11-22 is in November but after `to`
        "USD": trend(("2026-11-01", "5000.05", "4947.35", "52.70")),
    }
    got = dd.by_key(body["currencies"], "currency")
    assert sorted(got) == sorted(expected), dd.short(body)
    for currency, buckets in expected.items():
        dd.check(buckets, got[currency]["trend"], "%s trend %s" % (currency, path), full=body)


def test_granularity_day_explicit_on_long_range(findash, get_json, main):
    # 2026-10-11..2026-11-21 is 42 days (default would be week); day forced: 42 buckets
    path = BASE + "?from=2026-10-11&to=2026-11-21&granularity=day"
    body = dd.get_ok(get_json, findash, path, main.token())
    assert body.get("granularity") == "day"
    usd = dd.by_key(body["currencies"], "currency")["USD"]
    assert len(usd["trend"]) == 42, [b["start"] for b in usd["trend"]]
    assert usd["trend"][0] == {"start": "2026-10-11", "income": "1000.00", "expenses": "0.00",
                               "net": "1000.00"}
    assert usd["trend"][20] == {"start": "2026-10-31", "income": "0.00", "expenses": "300.00",
                                "net": "-300.00"}
    assert usd["trend"][41]["start"] == "2026-11-21"


# --------------------------------------------------------------------------- calendar

YEAR_END = BASE + "?from=2026-12-28&to=2027-01-10"    # 14 days, Monday .. Sunday


def cal_usd_year_end(ds, trend_buckets):
    # in the period: -10.00 (12-31), +100.00 (01-01), -5.00 (01-03), -20.00 (01-04), -1.00 (01-10)
    #   expenses 36.00, net 64.00, count 5, average 36.00 / 4 = 9.00
    # previous period: the 14 days ending 2026-12-27 = 2026-12-14..2026-12-27:
    #   -3.00 (12-14) - 7.00 (12-27) -> 10.00 (the -1000.00 of 12-13 is outside)
    #   change (36 - 10) / 10 * 100 = 260
    return {"currency": "USD", "income": "100.00", "expenses": "36.00", "net": "64.00", "count": 5,
            "average_expense": "9.00",
            "largest_expense": largest(ds, "f00000000007", "-20.00", "monday", "food", "2027-01-04"),
            "by_category": [cat("food", "36.00", 4, 100.0)],
            "trend": trend_buckets,
            "previous_period": {"from": "2026-12-14", "to": "2026-12-27", "income": "0.00",
                                "expenses": "10.00", "expenses_change_pct": 260.0}}


def test_iso_weeks_across_year_boundary(findash, get_json, cal):
    path = YEAR_END + "&granularity=week"
    body = dd.get_ok(get_json, findash, path, cal.token())
    buckets = trend(
        # 2026-12-28 (Mon) .. 2027-01-03 (Sun): -10.00, +100.00, -5.00
        ("2026-12-28", "100.00", "15.00", "85.00"),
        # 2027-01-04 (Mon) .. 2027-01-10 (Sun): -20.00, -1.00 (the -1000.00 of 01-11 is after `to`)
        ("2027-01-04", "0.00", "21.00", "-21.00"))
    dd.check({"period": {"from": "2026-12-28", "to": "2027-01-10"}, "granularity": "week",
              "currencies": [cal_usd_year_end(cal, buckets)]}, body, "transactions " + path)


def test_months_across_year_boundary(findash, get_json, cal):
    path = YEAR_END + "&granularity=month"
    body = dd.get_ok(get_json, findash, path, cal.token())
    buckets = trend(
        # December bucket starts before `from`; only 12-28..12-31 count: -10.00
        ("2026-12-01", "0.00", "10.00", "-10.00"),
        # January: +100.00, -5.00, -20.00, -1.00 (only up to 01-10)
        ("2027-01-01", "100.00", "26.00", "74.00"))
    dd.check({"granularity": "month", "currencies": [cal_usd_year_end(cal, buckets)]},
             body, "transactions " + path)


def test_days_across_year_boundary_default_granularity(findash, get_json, cal):
    body = dd.get_ok(get_json, findash, YEAR_END, cal.token())
    buckets = trend(
        ("2026-12-28", *ZERO),
        ("2026-12-29", *ZERO),
        ("2026-12-30", *ZERO),
        ("2026-12-31", "0.00", "10.00", "-10.00"),
        ("2027-01-01", "100.00", "0.00", "100.00"),
        ("2027-01-02", *ZERO),
        ("2027-01-03", "0.00", "5.00", "-5.00"),
        ("2027-01-04", "0.00", "20.00", "-20.00"),
        ("2027-01-05", *ZERO),
        ("2027-01-06", *ZERO),
        ("2027-01-07", *ZERO),
        ("2027-01-08", *ZERO),
        ("2027-01-09", *ZERO),
        ("2027-01-10", "0.00", "1.00", "-1.00"),
    )
    dd.check({"granularity": "day", "currencies": [cal_usd_year_end(cal, buckets)]},
             body, "transactions " + YEAR_END)


FEB_2028 = BASE + "?from=2028-02-01&to=2028-02-29"     # 29 days (leap year)

FEB_2028_DAYS = trend(
    ("2028-02-01", *ZERO),
    ("2028-02-02", *ZERO),
    ("2028-02-03", *ZERO),
    ("2028-02-04", *ZERO),
    ("2028-02-05", *ZERO),
    ("2028-02-06", *ZERO),
    ("2028-02-07", *ZERO),
    ("2028-02-08", *ZERO),
    ("2028-02-09", *ZERO),
    ("2028-02-10", *ZERO),
    ("2028-02-11", *ZERO),
    ("2028-02-12", *ZERO),
    ("2028-02-13", *ZERO),
    ("2028-02-14", *ZERO),
    ("2028-02-15", *ZERO),
    ("2028-02-16", *ZERO),
    ("2028-02-17", *ZERO),
    ("2028-02-18", *ZERO),
    ("2028-02-19", *ZERO),
    ("2028-02-20", *ZERO),
    ("2028-02-21", *ZERO),
    ("2028-02-22", *ZERO),
    ("2028-02-23", *ZERO),
    ("2028-02-24", *ZERO),
    ("2028-02-25", *ZERO),
    ("2028-02-26", *ZERO),
    ("2028-02-27", *ZERO),
    ("2028-02-28", "0.00", "1.00", "-1.00"),
    ("2028-02-29", "2.29", "29.00", "-26.71"),
)


def cal_usd_feb_2028(ds, trend_buckets):
    # in February 2028: -1.00 food (02-28), -29.00 null category and +2.29 income (02-29)
    #   income 2.29, expenses 30.00, net -27.71, count 3, average 30.00 / 2 = 15.00
    #   shares: 29 / 30 = 96.667 % -> 96.67; 1 / 30 = 3.333 % -> 3.33
    # previous: the 29 days ending 2028-01-31 = 2028-01-03..2028-01-31: -10.00 (01-03), -4.00 (01-31)
    #   = 14.00 (the -777.00 of 01-02 is outside); change (30 - 14) / 14 * 100 = 114.2857 -> 114.29
    return {"currency": "USD", "income": "2.29", "expenses": "30.00", "net": "-27.71", "count": 3,
            "average_expense": "15.00",
            "largest_expense": largest(ds, "f00000000013", "-29.00", "Leap day", "uncategorized",
                                       "2028-02-29"),
            "by_category": [cat("uncategorized", "29.00", 1, 96.67), cat("food", "1.00", 1, 3.33)],
            "trend": trend_buckets,
            "previous_period": {"from": "2028-01-03", "to": "2028-01-31", "income": "0.00",
                                "expenses": "14.00", "expenses_change_pct": 114.29}}


def test_leap_february_daily(findash, get_json, cal):
    body = dd.get_ok(get_json, findash, FEB_2028, cal.token())
    dd.check({"period": {"from": "2028-02-01", "to": "2028-02-29"}, "granularity": "day",
              "currencies": [cal_usd_feb_2028(cal, FEB_2028_DAYS)]}, body, "transactions " + FEB_2028)


def test_leap_february_monthly(findash, get_json, cal):
    path = FEB_2028 + "&granularity=month"
    body = dd.get_ok(get_json, findash, path, cal.token())
    dd.check({"granularity": "month",
              "currencies": [cal_usd_feb_2028(cal, trend(("2028-02-01", "2.29", "30.00", "-27.71")))]},
             body, "transactions " + path)


def test_leap_february_weekly(findash, get_json, cal):
    path = FEB_2028 + "&granularity=week"
    body = dd.get_ok(get_json, findash, path, cal.token())
    buckets = trend(
        ("2028-01-31", *ZERO),  # Monday before from; the -4.00 of 01-31 lies outside the period
        ("2028-02-07", *ZERO),
        ("2028-02-14", *ZERO),
        ("2028-02-21", *ZERO),
        # week 2028-02-28..03-05 counts only 02-28 and 02-29: the -500.00 of 03-01 is after `to`
        ("2028-02-28", "2.29", "30.00", "-27.71"))
    dd.check({"granularity": "week", "currencies": [cal_usd_feb_2028(cal, buckets)]},
             body, "transactions " + path)


def test_range_over_the_leap_day(findash, get_json, cal):
    path = BASE + "?from=2028-02-28&to=2028-03-01"   # 3 days
    body = dd.get_ok(get_json, findash, path, cal.token())
    # -1.00 food (02-28); -29.00 null and +2.29 (02-29); -500.00 rent (03-01)
    #   income 2.29, expenses 530.00, net -527.71, count 4, average 530 / 3 = 176.666 -> 176.67
    #   shares: 500 / 530 = 94.34 %; 29 / 530 = 5.4717 % -> 5.47; 1 / 530 = 0.1887 % -> 0.19
    # previous: the 3 days ending 02-27 = 2028-02-25..02-27: nothing -> change null
    expected = {"period": {"from": "2028-02-28", "to": "2028-03-01"}, "granularity": "day",
                "currencies": [
                    {"currency": "USD", "income": "2.29", "expenses": "530.00", "net": "-527.71",
                     "count": 4, "average_expense": "176.67",
                     "largest_expense": largest(cal, "f00000000015", "-500.00", "march", "rent",
                                                "2028-03-01"),
                     "by_category": [cat("rent", "500.00", 1, 94.34),
                                     cat("uncategorized", "29.00", 1, 5.47),
                                     cat("food", "1.00", 1, 0.19)],
                     "trend": trend(("2028-02-28", "0.00", "1.00", "-1.00"),
                                    ("2028-02-29", "2.29", "29.00", "-26.71"),
                                    ("2028-03-01", "0.00", "500.00", "-500.00")),
                     "previous_period": {"from": "2028-02-25", "to": "2028-02-27", "income": "0.00",
                                         "expenses": "0.00", "expenses_change_pct": None}}]}
    dd.check(expected, body, "transactions " + path)


def test_default_granularity_by_range_length(findash, get_json, cal):
    cases = [
        # 2027-01-01..01-31 = 31 days -> day, 31 buckets
        ("2027-01-01", "2027-01-31", "day", 31, "2027-01-01", "2027-01-31"),
        # 32 days -> week; 2027-01-01 is a Friday: weeks from Monday 2026-12-28 to Monday 2027-02-01
        ("2027-01-01", "2027-02-01", "week", 6, "2026-12-28", "2027-02-01"),
        # 2027-01-01..07-02 = 31+28+31+30+31+30 + 2 = 183 days -> week; 07-02 is a Friday of the
        # week starting 06-28; 2026-12-28 .. 2027-06-28 is 182 days = 26 weeks -> 27 buckets
        ("2027-01-01", "2027-07-02", "week", 27, "2026-12-28", "2027-06-28"),
        # 184 days -> month: January .. July 2027
        ("2027-01-01", "2027-07-03", "month", 7, "2027-01-01", "2027-07-01"),
    ]
    for start, end, granularity, n, first, last in cases:
        path = BASE + "?from=%s&to=%s" % (start, end)
        body = dd.get_ok(get_json, findash, path, cal.token())
        assert body.get("granularity") == granularity, "%s: expected granularity %r, got %r" % (
            path, granularity, body.get("granularity"))
        usd = dd.by_key(body["currencies"], "currency")["USD"]
        starts = [b["start"] for b in usd["trend"]]
        assert (len(starts), starts[0], starts[-1]) == (n, first, last), "%s: trend starts %s" % (path, starts)
    # the monthly one in full: January has +100.00 (01-01) and -5 - 20 - 1 - 1000 = -1026.00
    body = dd.get_ok(get_json, findash, BASE + "?from=2027-01-01&to=2027-07-03", cal.token())
    usd = dd.by_key(body["currencies"], "currency")["USD"]
    dd.check(trend(("2027-01-01", "100.00", "1026.00", "-926.00"),
                   ("2027-02-01", *ZERO), ("2027-03-01", *ZERO), ("2027-04-01", *ZERO),
                   ("2027-05-01", *ZERO), ("2027-06-01", *ZERO), ("2027-07-01", *ZERO)),
             usd["trend"], "monthly trend 2027-01-01..2027-07-03", full=body)


# --------------------------------------------------------------------------- huge sums

def test_huge_sums_are_exact(findash, get_json, huge):
    path = MAIN + "&granularity=month"
    body = dd.get_ok(get_json, findash, path, huge.token())
    # M = 99999999999999999.99; incomes 100 * M + 0.01; expenses 50 * M; all on 2026-11-10
    # average: 50 * M / 50 = M; the 50 expenses tie on amount and day -> smallest id (…c20000000001)
    expected = {"currencies": [
        {"currency": "USD", "income": "9999999999999999999.01", "expenses": "4999999999999999999.50",
         "net": "4999999999999999999.51", "count": 151, "average_expense": "99999999999999999.99",
         "largest_expense": largest(huge, "c20000000001", "-99999999999999999.99", "big expense 1",
                                    "big", "2026-11-10"),
         "by_category": [cat("big", "4999999999999999999.50", 50, 100.0)],
         "trend": trend(("2026-11-01", "9999999999999999999.01", "4999999999999999999.50",
                         "4999999999999999999.51")),
         "previous_period": {"from": "2026-10-11", "to": "2026-10-31", "income": "0.00",
                             "expenses": "0.00", "expenses_change_pct": None}}]}
    dd.check(expected, body, "transactions (huge) " + path)
