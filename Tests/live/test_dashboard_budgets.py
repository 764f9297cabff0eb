"""GET /financial/dashboard/budgets against hand-computed answers (CONTRACT.md §4).

Data: fixtures/budgets.sql (tenant organization/fx_<session>_bud), fixtures/main.sql and
fixtures/huge.sql.

Calendar facts used below (checked with Python's datetime):
  2026-11-21 is a Saturday: ISO week 2026-11-16 (Mon) .. 2026-11-22 (Sun).
  2026-11-18 is a Wednesday (same ISO week).
  Q4 2026 = 2026-10-01..2026-12-31 = 31 + 30 + 31 = 92 days; 2026 has 365 days.
  2026-01-01..2026-11-21 = 304 (Jan..Oct) + 21 = 325 days; 2026-10-01..2026-11-21 = 52 days.
  2026-06-01..2026-11-21 = 30+31+31+30+31 + 21 = 174 days; 2026-06-01..2026-12-31 = 214 days.
  2027-01-01 is a Friday: ISO week 2026-12-28 .. 2027-01-03.
  2028-02-29 is a Tuesday: ISO week 2028-02-28 .. 2028-03-05; 2028-01-01..02-29 = 60 days; 2028 has 366.
"""

import os
import re
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
import dashdata as dd  # noqa: E402

BASE = "/financial/dashboard/budgets"
SUMMARY = "/financial/dashboard/summary"


@pytest.fixture(scope="module")
def bud(psql):
    ds = dd.load(psql, "budgets", "bud", tenant_type="organization")
    yield ds
    dd.unload(psql, ds)


@pytest.fixture(scope="module")
def main(psql):
    ds = dd.load(psql, "main", "budmain")
    yield ds
    dd.unload(psql, ds)


@pytest.fixture(scope="module")
def huge(psql):
    ds = dd.load(psql, "huge", "budhuge")
    yield ds
    dd.unload(psql, ds)


def budget(ds, suffix, name, category, currency, period, period_start, period_end, budgeted,
           spent, remaining, percent_used, alert_threshold, status, projected, elapsed, left):
    alert = None
    if status == "warning":
        alert = {"level": "warning"}
    elif status == "over_budget":
        alert = {"level": "critical"}
    return {"id": ds.id(suffix), "name": name, "category": category, "currency": currency,
            "period": period, "period_start": period_start, "period_end": period_end,
            "budgeted": budgeted, "spent": spent, "remaining": remaining,
            "percent_used": percent_used, "alert_threshold": alert_threshold, "status": status,
            "alert": alert, "projected_spend": projected, "days_elapsed": elapsed,
            "days_remaining": left}


def check_alert_messages(body):
    for b in body["budgets"]:
        if b.get("alert") is not None:
            msg = b["alert"].get("message")
            assert isinstance(msg, str) and msg.strip(), "budget %s: alert.message %r" % (b.get("name"), msg)


def counts_of(body):
    c = {"total": 0, "on_track": 0, "warning": 0, "over_budget": 0}
    for b in body["budgets"]:
        c["total"] += 1
        c[b["status"]] += 1
    return c


# --------------------------------------------------------------- as_of = to = 2026-11-21

def expected_nov_21(ds):
    B = lambda *a: budget(ds, *a)  # noqa: E731
    W = ("2026-11-16", "2026-11-22")   # ISO week of 11-21: elapsed 16..21 = 6, remaining 22 = 1
    M = ("2026-11-01", "2026-11-30")   # elapsed 21, remaining 9
    Q = ("2026-10-01", "2026-12-31")   # elapsed 52, remaining 40
    Y = ("2026-01-01", "2026-12-31")   # elapsed 325, remaining 40
    return [
        # Books: 159.99 (11-05); 159.99 / 200 = 79.995 % -> 80.00 when rounded, but exactly
        #   159.99 < 0.8 * 200 = 160.00 -> on_track; projected 159.99 / 21 * 30 = 228.557 -> 228.56
        B("d00000000005", "Books", "books", "USD", "monthly", *M, "200.00", "159.99", "40.01",
          80.0, 80.0, "on_track", "228.56", 21, 9),
        # Education: 900.00 (03-15) = 0.9 * 1000 exactly -> warning; 900 / 325 * 365 = 1010.769 -> 1010.77
        B("d0000000000c", "Education", "education", "USD", "yearly", *Y, "1000.00", "900.00", "100.00",
          90.0, 90.0, "warning", "1010.77", 325, 40),
        # Electronics: starts_on 2026-06-01 cuts the year; 800.01 (06-10) > 800 -> over_budget;
        #   800.01 / 800 = 100.00125 % -> 100.00; 800.01 / 174 * 214 = 983.920 -> 983.92
        B("d0000000000d", "Electronics", "electronics", "USD", "yearly", "2026-06-01", "2026-12-31",
          "800.00", "800.01", "-0.01", 100.0, 80.0, "over_budget", "983.92", 174, 40),
        # Gifts (EUR, id …06 < …07): only the EUR gift -1000.00 (11-20); 50 %;
        #   1000 / 21 * 30 = 1428.571 -> 1428.57
        B("d00000000006", "Gifts", "gifts", "EUR", "monthly", *M, "2000.00", "1000.00", "1000.00",
          50.0, 80.0, "on_track", "1428.57", 21, 9),
        # Gifts (USD): -150.00 (11-20) only; not the EUR one, not category "Gifts" (case), not the
        #   null category, not the income +20.00 nor the transfer -33.00 in "gifts".
        #   150 > 100 -> over_budget; threshold 0.5 -> 50.0; 150 / 21 * 30 = 214.2857 -> 214.29
        B("d00000000007", "Gifts", "gifts", "USD", "monthly", *M, "100.00", "150.00", "-50.00",
          150.0, 50.0, "over_budget", "214.29", 21, 9),
        # Groceries (default threshold 0.8000): 212.30 + 200.00 = 412.30; 82.46 %; warning;
        #   412.30 / 21 * 30 = 589.00
        B("d00000000004", "Groceries", "groceries", "USD", "monthly", *M, "500.00", "412.30", "87.70",
          82.46, 80.0, "warning", "589.00", 21, 9),
        # Gym: starts_on 2026-11-10 cuts the month: 11-10..11-30, elapsed 12, remaining 9;
        #   -30.00 (11-05, before the start) not counted; 30.00 (11-12); 50 %; 30 / 12 * 21 = 52.50
        B("d0000000000e", "Gym", "gym", "USD", "monthly", "2026-11-10", "2026-11-30", "60.00", "30.00",
          "30.00", 50.0, 80.0, "on_track", "52.50", 12, 9),
        # Insurance: 300.00 (10-05); 25 %; 300 / 52 * 92 = 530.769 -> 530.77
        B("d00000000008", "Insurance", "insurance", "USD", "quarterly", *Q, "1200.00", "300.00",
          "900.00", 25.0, 80.0, "on_track", "530.77", 52, 40),
        # Parking: ends_on 2026-11-25 cuts the month: 11-01..11-25, remaining 22..25 = 4;
        #   85.00 (11-03) >= 80 -> warning; 85 / 21 * 25 = 101.190 -> 101.19
        B("d0000000000f", "Parking", "parking", "USD", "monthly", "2026-11-01", "2026-11-25", "100.00",
          "85.00", "15.00", 85.0, 80.0, "warning", "101.19", 21, 4),
        # Repairs: 400.00 (10-01, the quarter's first day) > 300; 133.333 % -> 133.33;
        #   400 / 52 * 92 = 707.692 -> 707.69
        B("d0000000000a", "Repairs", "repairs", "USD", "quarterly", *Q, "300.00", "400.00", "-100.00",
          133.33, 80.0, "over_budget", "707.69", 52, 40),
        # Sprint: 2026-11-18..2026-11-21 (starts and ends inside the week); -5.00 of 11-17 is
        #   before the start; 10.00 (11-18) = 1.0 * 10 -> warning (not over: not > budgeted);
        #   remaining "0.00"; elapsed 18..21 = 4, remaining 0; 10 / 4 * 4 = 10.00
        B("d00000000010", "Sprint", "sprint", "USD", "weekly", "2026-11-18", "2026-11-21", "10.00",
          "10.00", "0.00", 100.0, 100.0, "warning", "10.00", 4, 0),
        # Utilities: 250.00 (10-15) + 230.00 (11-15) = 480.00 = 0.8 * 600 exactly -> warning
        #   (-100.00 of 09-30 is the previous quarter); 480 / 52 * 92 = 849.2308 -> 849.23
        B("d00000000009", "Utilities", "utilities", "USD", "quarterly", *Q, "600.00", "480.00",
          "120.00", 80.0, 80.0, "warning", "849.23", 52, 40),
        # Vacation: 1000.00 (2026-01-01; 2025-12-31's -999.00 is the previous year); 20 %;
        #   1000 / 325 * 365 = 1123.077 -> 1123.08
        B("d0000000000b", "Vacation", "vacation", "USD", "yearly", *Y, "5000.00", "1000.00", "4000.00",
          20.0, 80.0, "on_track", "1123.08", 325, 40),
        # Weekly coffee: 10.00 (11-16) + 20.00 (11-21) = 30.00 (11-15 previous week, 11-22 after
        #   as_of); 30 / 70 = 42.857 % -> 42.86; 30 / 6 * 7 = 35.00
        B("d00000000001", "Weekly coffee", "coffee", "USD", "weekly", *W, "70.00", "30.00", "40.00",
          42.86, 80.0, "on_track", "35.00", 6, 1),
        # Weekly lunch: 80.00 - 5.00 refund = 75.00 = 0.75 * 100 exactly -> warning;
        #   75 / 6 * 7 = 87.50
        B("d00000000002", "Weekly lunch", "lunch", "USD", "weekly", *W, "100.00", "75.00", "25.00",
          75.0, 75.0, "warning", "87.50", 6, 1),
        # Weekly taxi: 40.01 > 40 -> over_budget; 100.025 % -> 100.03 (half away from zero);
        #   40.01 / 6 * 7 = 46.678 -> 46.68
        B("d00000000003", "Weekly taxi", "taxi", "USD", "weekly", *W, "40.00", "40.01", "-0.01",
          100.03, 90.0, "over_budget", "46.68", 6, 1),
        # excluded: Ended (ends_on 11-20 < as_of), Future (starts_on 11-22 > as_of), Inactive
    ]


def test_every_period_and_status_as_of_to(findash, get_json, bud):
    path = BASE + "?from=2026-11-01&to=2026-11-21"
    body = dd.get_ok(get_json, findash, path, bud.token())
    dd.check({"as_of": "2026-11-21", "budgets": expected_nov_21(bud)}, body, "budgets " + path)
    check_alert_messages(body)


def test_summary_counts_as_of_to(findash, get_json, bud):
    path = SUMMARY + "?from=2026-11-01&to=2026-11-21"
    body = dd.get_ok(get_json, findash, path, bud.token())
    # on_track: Books, Gifts EUR, Gym, Insurance, Vacation, Weekly coffee = 6
    # warning: Education, Groceries, Parking, Sprint, Utilities, Weekly lunch = 6
    # over_budget: Electronics, Gifts USD, Repairs, Weekly taxi = 4
    dd.check({"budgets": {"total": 16, "on_track": 6, "warning": 6, "over_budget": 4}},
             body, "summary " + path)
    listed = dd.get_ok(get_json, findash, BASE + "?from=2026-11-01&to=2026-11-21", bud.token())
    assert counts_of(listed) == body["budgets"]


# --------------------------------------------------------------- as_of 2026-11-18 != to

def expected_nov_18(ds):
    B = lambda *a: budget(ds, *a)  # noqa: E731
    W = ("2026-11-16", "2026-11-22")   # elapsed 16..18 = 3, remaining 19..22 = 4
    M = ("2026-11-01", "2026-11-30")   # elapsed 18, remaining 12
    Q = ("2026-10-01", "2026-12-31")   # elapsed 31 + 18 = 49, remaining 43
    Y = ("2026-01-01", "2026-12-31")   # elapsed 304 + 18 = 322, remaining 43
    return [
        # 159.99 * 30 / 18 = 266.65 exactly
        B("d00000000005", "Books", "books", "USD", "monthly", *M, "200.00", "159.99", "40.01",
          80.0, 80.0, "on_track", "266.65", 18, 12),
        # 900 * 365 / 322 = 1020.186 -> 1020.19
        B("d0000000000c", "Education", "education", "USD", "yearly", *Y, "1000.00", "900.00", "100.00",
          90.0, 90.0, "warning", "1020.19", 322, 43),
        # 2026-06-01..11-18 = 153 + 18 = 171; 800.01 * 214 / 171 = 1001.182 -> 1001.18
        B("d0000000000d", "Electronics", "electronics", "USD", "yearly", "2026-06-01", "2026-12-31",
          "800.00", "800.01", "-0.01", 100.0, 80.0, "over_budget", "1001.18", 171, 43),
        # Ended: ends_on 2026-11-20 >= as_of -> listed; period 11-01..11-20, remaining 19, 20 = 2;
        #   10.00 (11-02); 20 %; 10 * 20 / 18 = 11.111 -> 11.11
        B("d00000000011", "Ended", "ended", "USD", "monthly", "2026-11-01", "2026-11-20", "50.00",
          "10.00", "40.00", 20.0, 80.0, "on_track", "11.11", 18, 2),
        # Gifts: every gift is booked 11-20, after as_of -> 0.00, projected 0.00
        B("d00000000006", "Gifts", "gifts", "EUR", "monthly", *M, "2000.00", "0.00", "2000.00",
          0.0, 80.0, "on_track", "0.00", 18, 12),
        B("d00000000007", "Gifts", "gifts", "USD", "monthly", *M, "100.00", "0.00", "100.00",
          0.0, 50.0, "on_track", "0.00", 18, 12),
        # 412.30 * 30 / 18 = 687.1667 -> 687.17
        B("d00000000004", "Groceries", "groceries", "USD", "monthly", *M, "500.00", "412.30", "87.70",
          82.46, 80.0, "warning", "687.17", 18, 12),
        # Gym: 11-10..11-18 = 9 elapsed, remaining 12; 30 * 21 / 9 = 70.00
        B("d0000000000e", "Gym", "gym", "USD", "monthly", "2026-11-10", "2026-11-30", "60.00", "30.00",
          "30.00", 50.0, 80.0, "on_track", "70.00", 9, 12),
        # 300 * 92 / 49 = 563.265 -> 563.27
        B("d00000000008", "Insurance", "insurance", "USD", "quarterly", *Q, "1200.00", "300.00",
          "900.00", 25.0, 80.0, "on_track", "563.27", 49, 43),
        # Parking: 11-01..11-25, remaining 19..25 = 7; 85 * 25 / 18 = 118.056 -> 118.06
        B("d0000000000f", "Parking", "parking", "USD", "monthly", "2026-11-01", "2026-11-25", "100.00",
          "85.00", "15.00", 85.0, 80.0, "warning", "118.06", 18, 7),
        # 400 * 92 / 49 = 751.0204 -> 751.02
        B("d0000000000a", "Repairs", "repairs", "USD", "quarterly", *Q, "300.00", "400.00", "-100.00",
          133.33, 80.0, "over_budget", "751.02", 49, 43),
        # Sprint: starts_on = as_of = 11-18 -> listed; elapsed 1, remaining 19..21 = 3;
        #   10.00 (11-18) -> warning; 10 * 4 / 1 = 40.00
        B("d00000000010", "Sprint", "sprint", "USD", "weekly", "2026-11-18", "2026-11-21", "10.00",
          "10.00", "0.00", 100.0, 100.0, "warning", "40.00", 1, 3),
        # 480 * 92 / 49 = 901.2245 -> 901.22
        B("d00000000009", "Utilities", "utilities", "USD", "quarterly", *Q, "600.00", "480.00",
          "120.00", 80.0, 80.0, "warning", "901.22", 49, 43),
        # 1000 * 365 / 322 = 1133.540 -> 1133.54
        B("d0000000000b", "Vacation", "vacation", "USD", "yearly", *Y, "5000.00", "1000.00", "4000.00",
          20.0, 80.0, "on_track", "1133.54", 322, 43),
        # coffee: 10.00 (11-16) only; 10 / 70 = 14.2857 % -> 14.29; 10 * 7 / 3 = 23.333 -> 23.33
        B("d00000000001", "Weekly coffee", "coffee", "USD", "weekly", *W, "70.00", "10.00", "60.00",
          14.29, 80.0, "on_track", "23.33", 3, 4),
        # lunch: -80.00 (11-17) + 5.00 (11-18, = as_of, included) -> 75.00, warning; 75 * 7 / 3 = 175.00
        B("d00000000002", "Weekly lunch", "lunch", "USD", "weekly", *W, "100.00", "75.00", "25.00",
          75.0, 75.0, "warning", "175.00", 3, 4),
        # taxi: 40.01 is booked 11-19, after as_of -> 0.00
        B("d00000000003", "Weekly taxi", "taxi", "USD", "weekly", *W, "40.00", "0.00", "40.00",
          0.0, 90.0, "on_track", "0.00", 3, 4),
        # excluded: Future (starts 11-22), Inactive
    ]


def test_as_of_differs_from_to(findash, get_json, bud):
    path = BASE + "?from=2026-11-01&to=2026-11-30&as_of=2026-11-18"
    body = dd.get_ok(get_json, findash, path, bud.token())
    dd.check({"as_of": "2026-11-18", "budgets": expected_nov_18(bud)}, body, "budgets " + path)
    check_alert_messages(body)


def test_summary_counts_with_as_of(findash, get_json, bud):
    path = SUMMARY + "?from=2026-11-01&to=2026-11-30&as_of=2026-11-18"
    body = dd.get_ok(get_json, findash, path, bud.token())
    # on_track: Books, Ended, Gifts, Gifts, Gym, Insurance, Vacation, Weekly coffee, Weekly taxi = 9
    # warning: Education, Groceries, Parking, Sprint, Utilities, Weekly lunch = 6
    # over_budget: Electronics, Repairs = 2
    dd.check({"budgets": {"total": 17, "on_track": 9, "warning": 6, "over_budget": 2}},
             body, "summary " + path)


# --------------------------------------------------------------- year boundary, leap day

def zero_spent(ds, suffix, name, category, currency, period, start, end, budgeted, threshold,
               elapsed, left):
    """A budget with nothing spent in its period: spent 0.00, remaining = budgeted, 0 %,
    on_track, no alert, projected 0.00."""
    return budget(ds, suffix, name, category, currency, period, start, end, budgeted, "0.00",
                  budgeted, 0.0, threshold, "on_track", "0.00", elapsed, left)


def test_periods_as_of_new_years_day_2027(findash, get_json, bud):
    path = BASE + "?from=2026-12-01&to=2027-01-31&as_of=2027-01-01"
    body = dd.get_ok(get_json, findash, path, bud.token())
    Z = lambda *a: zero_spent(bud, *a)  # noqa: E731
    W = ("2026-12-28", "2027-01-03", 5, 2)    # ISO week across the year boundary: 12-28..01-01 = 5
    M = ("2027-01-01", "2027-01-31", 1, 30)
    Q = ("2027-01-01", "2027-03-31", 1, 89)   # Q1 2027 = 31 + 28 + 31 = 90 days
    Y = ("2027-01-01", "2027-12-31", 1, 364)

    def split(p, budgeted, threshold):
        return (p[0], p[1], budgeted, threshold, p[2], p[3])
    expected = [
        Z("d00000000005", "Books", "books", "USD", "monthly", *split(M, "200.00", 80.0)),
        Z("d0000000000c", "Education", "education", "USD", "yearly", *split(Y, "1000.00", 90.0)),
        # starts_on 2026-06-01 is before the 2027 year: not cut
        Z("d0000000000d", "Electronics", "electronics", "USD", "yearly", *split(Y, "800.00", 80.0)),
        # Future (starts 2026-11-22) is running by now; its -5.00 of 11-21 is long before
        Z("d00000000012", "Future", "future", "USD", "monthly", *split(M, "10.00", 80.0)),
        Z("d00000000006", "Gifts", "gifts", "EUR", "monthly", *split(M, "2000.00", 80.0)),
        Z("d00000000007", "Gifts", "gifts", "USD", "monthly", *split(M, "100.00", 50.0)),
        Z("d00000000004", "Groceries", "groceries", "USD", "monthly", *split(M, "500.00", 80.0)),
        Z("d0000000000e", "Gym", "gym", "USD", "monthly", *split(M, "60.00", 80.0)),
        Z("d00000000008", "Insurance", "insurance", "USD", "quarterly", *split(Q, "1200.00", 80.0)),
        Z("d0000000000a", "Repairs", "repairs", "USD", "quarterly", *split(Q, "300.00", 80.0)),
        Z("d00000000009", "Utilities", "utilities", "USD", "quarterly", *split(Q, "600.00", 80.0)),
        Z("d0000000000b", "Vacation", "vacation", "USD", "yearly", *split(Y, "5000.00", 80.0)),
        Z("d00000000001", "Weekly coffee", "coffee", "USD", "weekly", *split(W, "70.00", 80.0)),
        Z("d00000000002", "Weekly lunch", "lunch", "USD", "weekly", *split(W, "100.00", 75.0)),
        Z("d00000000003", "Weekly taxi", "taxi", "USD", "weekly", *split(W, "40.00", 90.0)),
        # excluded: Ended, Parking, Sprint (ended before), Inactive
    ]
    dd.check({"as_of": "2027-01-01", "budgets": expected}, body, "budgets " + path)


def test_periods_on_leap_day_2028(findash, get_json, bud):
    path = BASE + "?from=2028-02-01&to=2028-02-29"      # as_of defaults to `to`
    body = dd.get_ok(get_json, findash, path, bud.token())
    Z = lambda *a: zero_spent(bud, *a)  # noqa: E731
    W = ("2028-02-28", "2028-03-05", 2, 5)     # Monday 02-28 .. Sunday 03-05
    M = ("2028-02-01", "2028-02-29", 29, 0)
    Q = ("2028-01-01", "2028-03-31", 60, 31)   # 31 + 29 = 60 elapsed, March's 31 remain
    Y = ("2028-01-01", "2028-12-31", 60, 306)  # 366 - 60

    def split(p, budgeted, threshold):
        return (p[0], p[1], budgeted, threshold, p[2], p[3])
    expected = [
        Z("d00000000005", "Books", "books", "USD", "monthly", *split(M, "200.00", 80.0)),
        Z("d0000000000c", "Education", "education", "USD", "yearly", *split(Y, "1000.00", 90.0)),
        Z("d0000000000d", "Electronics", "electronics", "USD", "yearly", *split(Y, "800.00", 80.0)),
        Z("d00000000012", "Future", "future", "USD", "monthly", *split(M, "10.00", 80.0)),
        Z("d00000000006", "Gifts", "gifts", "EUR", "monthly", *split(M, "2000.00", 80.0)),
        Z("d00000000007", "Gifts", "gifts", "USD", "monthly", *split(M, "100.00", 50.0)),
        Z("d00000000004", "Groceries", "groceries", "USD", "monthly", *split(M, "500.00", 80.0)),
        Z("d0000000000e", "Gym", "gym", "USD", "monthly", *split(M, "60.00", 80.0)),
        Z("d00000000008", "Insurance", "insurance", "USD", "quarterly", *split(Q, "1200.00", 80.0)),
        Z("d0000000000a", "Repairs", "repairs", "USD", "quarterly", *split(Q, "300.00", 80.0)),
        Z("d00000000009", "Utilities", "utilities", "USD", "quarterly", *split(Q, "600.00", 80.0)),
        Z("d0000000000b", "Vacation", "vacation", "USD", "yearly", *split(Y, "5000.00", 80.0)),
        Z("d00000000001", "Weekly coffee", "coffee", "USD", "weekly", *split(W, "70.00", 80.0)),
        Z("d00000000002", "Weekly lunch", "lunch", "USD", "weekly", *split(W, "100.00", 75.0)),
        Z("d00000000003", "Weekly taxi", "taxi", "USD", "weekly", *split(W, "40.00", 90.0)),
    ]
    dd.check({"as_of": "2028-02-29", "budgets": expected}, body, "budgets " + path)


def test_periods_end_with_the_calendar_on_9999_12_31(findash, get_json, bud):
    """The week of 9999-12-31 would end in year 10000, which YYYY-MM-DD cannot write
    (CONTRACT §2): every period stops at 9999-12-31."""
    body = dd.get_ok(get_json, findash, BASE + "?from=9999-12-01&to=9999-12-31", bud.token())
    assert body["budgets"], body
    for b in body["budgets"]:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", b["period_end"]) and b["period_end"] <= "9999-12-31", b
        if b["period"] == "weekly":
            assert (b["period_start"], b["period_end"], b["days_elapsed"], b["days_remaining"]) == \
                ("9999-12-27", "9999-12-31", 5, 0), b


# --------------------------------------------------------------- main data set, huge sums

def test_main_data_set_budgets(findash, get_json, main):
    path = BASE + "?from=2026-11-01&to=2026-11-21"
    body = dd.get_ok(get_json, findash, path, main.token())
    B = lambda *a: budget(main, *a)  # noqa: E731
    expected = [
        # Groceries (USD only; the GBP 250.00 does not count): 82.35 + 120.10 - 20.10 = 182.35
        #   (10-31's -300.00 is October, 11-22's -999.99 is after as_of); 36.47 %;
        #   182.35 / 21 * 30 = 260.50
        B("d00000000001", "Groceries", "groceries", "USD", "monthly", "2026-11-01", "2026-11-30",
          "500.00", "182.35", "317.65", 36.47, 80.0, "on_track", "260.50", 21, 9),
        # Housing: Rent 1500.00 (11-01) = 0.8 * 1875 exactly -> warning; 1500 / 52 * 92 = 2653.846 -> 2653.85
        B("d00000000003", "Housing", "housing", "USD", "quarterly", "2026-10-01", "2026-12-31",
          "1875.00", "1500.00", "375.00", 80.0, 80.0, "warning", "2653.85", 52, 40),
        # Travel: Hotel 1500 + Flight 1500 = 3000.00 > 2500; 120 %; 3000 / 21 * 30 = 4285.714 -> 4285.71
        B("d00000000002", "Travel", "travel", "USD", "monthly", "2026-11-01", "2026-11-30",
          "2500.00", "3000.00", "-500.00", 120.0, 80.0, "over_budget", "4285.71", 21, 9),
        # "Old budget" is inactive
    ]
    dd.check({"as_of": "2026-11-21", "budgets": expected}, body, "budgets " + path)


def test_main_data_set_budgets_end_of_october(findash, get_json, main):
    path = BASE + "?from=2026-10-11&to=2026-10-31"
    body = dd.get_ok(get_json, findash, path, main.token())
    B = lambda *a: budget(main, *a)  # noqa: E731
    expected = [
        # October groceries: -100.00 (10-10) and -300.00 (10-31): 400.00 = 0.8 * 500 -> warning;
        #   elapsed 31, remaining 0: projected 400 / 31 * 31 = 400.00
        B("d00000000001", "Groceries", "groceries", "USD", "monthly", "2026-10-01", "2026-10-31",
          "500.00", "400.00", "100.00", 80.0, 80.0, "warning", "400.00", 31, 0),
        # Q4 from 10-01: no housing yet (Rent is 11-01) -> elapsed 31, remaining 92 - 31 = 61
        B("d00000000003", "Housing", "housing", "USD", "quarterly", "2026-10-01", "2026-12-31",
          "1875.00", "0.00", "1875.00", 0.0, 80.0, "on_track", "0.00", 31, 61),
        B("d00000000002", "Travel", "travel", "USD", "monthly", "2026-10-01", "2026-10-31",
          "2500.00", "0.00", "2500.00", 0.0, 80.0, "on_track", "0.00", 31, 0),
    ]
    dd.check({"as_of": "2026-10-31", "budgets": expected}, body, "budgets " + path)


def test_huge_budget_is_exact(findash, get_json, huge):
    path = BASE + "?from=2026-11-01&to=2026-11-21"
    body = dd.get_ok(get_json, findash, path, huge.token())
    # M = 99999999999999999.99; spent = 50 * M = 4999999999999999999.50 -> exactly 5000 %
    # remaining = M - 50 * M = -49 * M = -4899999999999999999.51
    # projected = 50 * M / 21 * 30 = 49999999999999999995 / 7 = 7142857142857142856.428571… -> …856.43
    #   (7 * 7142857142857142857 = 49999999999999999999)
    expected = [budget(huge, "d00000000001", "Big", "big", "USD", "monthly", "2026-11-01", "2026-11-30",
                       "99999999999999999.99", "4999999999999999999.50", "-4899999999999999999.51",
                       5000.0, 80.0, "over_budget", "7142857142857142856.43", 21, 9)]
    dd.check({"as_of": "2026-11-21", "budgets": expected}, body, "budgets (huge) " + path)
