"""GET /financial/dashboard/accounts against hand-computed answers (CONTRACT.md §4).

Data: fixtures/main.sql (tenant user/fx_<session>_acc) and fixtures/huge.sql.
Order: type, then name, then id, byte-wise (C collation):
  cash < checking < credit_card < investment < loan < savings;
  "Main checking" < "Old GBP" < "Tokyo" < "Zeta" < "alpha" (upper case before lower case);
  "Closed savings" < "Oslo" < "Savings" < "Épargne" (0xC3 0x89 after every ASCII byte);
  the two "Wallet" cash accounts by id: …0a before …0b (inserted the other way round).
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
import dashdata as dd  # noqa: E402

PERIOD = "from=2026-11-01&to=2026-11-21"


@pytest.fixture(scope="module")
def main(psql):
    ds = dd.load(psql, "main", "acc")
    yield ds
    dd.unload(psql, ds)


@pytest.fixture(scope="module")
def huge(psql):
    ds = dd.load(psql, "huge", "acchuge")
    yield ds
    dd.unload(psql, ds)


def acct(ds, suffix, name, type_, currency, balance, active, inflow, outflow, count, last):
    return {"id": ds.id(suffix), "name": name, "type": type_, "currency": currency,
            "balance": balance, "is_active": active, "period_inflow": inflow,
            "period_outflow": outflow, "transactions_count": count, "last_transaction_on": last}


def expected_nov_1_to_21(ds, include_inactive):
    """Period 2026-11-01..2026-11-21, hand-computed per account."""
    rows = [
        # cash "Wallet" …0a: Lunch -19.99 (11-14)
        acct(ds, "a0000000000a", "Wallet", "cash", "USD", "19.75", True, "0.00", "19.99", 1, "2026-11-14"),
        # cash "Wallet" …0b: Gum -0.01 (11-14)
        acct(ds, "a0000000000b", "Wallet", "cash", "USD", "80.25", True, "0.00", "0.01", 1, "2026-11-14"),
        # Main checking, in the period: Salary +5000.00, Rent -1500.00, Hotel -1500.00 (11-01),
        #   -82.35 (11-03), CHF -40.00 (11-08), CHF +40.00 (11-09), transfer -500.00 (11-10),
        #   Misc -45.00 (11-12) -> 8 transactions (any currency)
        #   inflow (USD only): 5000.00; outflow (USD only): 1500 + 1500 + 82.35 + 500 + 45 = 3627.35
        #   last: 11-12 (the -999.99 on 11-22 is after `to`)
        acct(ds, "a00000000001", "Main checking", "checking", "USD", "4200.10", True,
             "5000.00", "3627.35", 8, "2026-11-12"),
        # Old GBP (inactive): +1000.00 (11-02), -250.00 (11-04), -751.25 (11-05)
        acct(ds, "a0000000000c", "Old GBP", "checking", "GBP", "500.00", False,
             "1000.00", "1001.25", 3, "2026-11-05"),
        # Tokyo: -1500.00 (11-05), -3000.00 (11-06), -1500.00 (11-07); Ramen 10-20 outside
        acct(ds, "a00000000009", "Tokyo", "checking", "JPY", "150000.00", True,
             "0.00", "6000.00", 3, "2026-11-07"),
        # Zeta: +2000.00 (11-02), -1200.00 (11-03), transfer -300.00 (11-10): outflow 1500.00
        acct(ds, "a00000000006", "Zeta", "checking", "EUR", "3000.00", True,
             "2000.00", "1500.00", 3, "2026-11-10"),
        # alpha: Interest +0.05 (11-20)
        acct(ds, "a00000000005", "alpha", "checking", "USD", "0.00", True,
             "0.05", "0.00", 1, "2026-11-20"),
        # Amex: -779.90 (11-06)
        acct(ds, "a00000000008", "Amex", "credit_card", "EUR", "0.00", True,
             "0.00", "779.90", 1, "2026-11-06"),
        # Visa: -120.10 (11-05), refund +20.10 (11-07), Flight -1500.00 (11-15)
        #   inflow 20.10; outflow 120.10 + 1500.00 = 1620.10
        acct(ds, "a00000000003", "Visa", "credit_card", "USD", "-1250.40", True,
             "20.10", "1620.10", 3, "2026-11-15"),
        # Brokerage: no transactions ever -> null
        acct(ds, "a0000000000e", "Brokerage", "investment", "USD", "2500.00", True,
             "0.00", "0.00", 0, None),
        # Car loan: no transactions ever -> null
        acct(ds, "a00000000004", "Car loan", "loan", "USD", "-8000.00", True,
             "0.00", "0.00", 0, None),
        # Closed savings (inactive): Dentist -200.00 (11-09)
        acct(ds, "a0000000000d", "Closed savings", "savings", "USD", "123.45", False,
             "0.00", "200.00", 1, "2026-11-09"),
        # Oslo: only Rente +100.00 on 10-15, before `from`: nothing in the period, but the
        #   latest booked_on not after `to` is 2026-10-15
        acct(ds, "a0000000000f", "Oslo", "savings", "NOK", "2000.00", True,
             "0.00", "0.00", 0, "2026-10-15"),
        # Savings: transfer +500.00 (11-10)
        acct(ds, "a00000000002", "Savings", "savings", "USD", "10000.00", True,
             "500.00", "0.00", 1, "2026-11-10"),
        # Épargne: transfer +300.00 (11-10)
        acct(ds, "a00000000007", "\u00c9pargne", "savings", "EUR", "1500.50", True,
             "300.00", "0.00", 1, "2026-11-10"),
    ]
    return rows if include_inactive else [r for r in rows if r["is_active"]]


def test_active_accounts_sorted_with_period_figures(findash, get_json, main):
    path = "/financial/dashboard/accounts?" + PERIOD
    body = dd.get_ok(get_json, findash, path, main.token())
    dd.check({"period": {"from": "2026-11-01", "to": "2026-11-21"},
              "accounts": expected_nov_1_to_21(main, include_inactive=False)},
             body, "accounts " + path)
    assert len(body["accounts"]) == 13


def test_include_inactive_false_is_the_default(findash, get_json, main):
    path = "/financial/dashboard/accounts?" + PERIOD + "&include_inactive=false"
    body = dd.get_ok(get_json, findash, path, main.token())
    dd.check({"accounts": expected_nov_1_to_21(main, include_inactive=False)},
             body, "accounts " + path)


def test_include_inactive_true(findash, get_json, main):
    path = "/financial/dashboard/accounts?" + PERIOD + "&include_inactive=true"
    body = dd.get_ok(get_json, findash, path, main.token())
    dd.check({"accounts": expected_nov_1_to_21(main, include_inactive=True)},
             body, "accounts " + path)
    assert len(body["accounts"]) == 15


def test_shorter_period_last_transaction_not_after_to(findash, get_json, main):
    path = "/financial/dashboard/accounts?from=2026-11-01&to=2026-11-10"
    body = dd.get_ok(get_json, findash, path, main.token())
    ds = main
    expected = [
        # Wallets: their only transactions are on 11-14, after `to` -> null
        acct(ds, "a0000000000a", "Wallet", "cash", "USD", "19.75", True, "0.00", "0.00", 0, None),
        acct(ds, "a0000000000b", "Wallet", "cash", "USD", "80.25", True, "0.00", "0.00", 0, None),
        # Main checking: Salary, Rent, Hotel, -82.35, CHF -40, CHF +40, transfer -500 = 7
        #   outflow 1500 + 1500 + 82.35 + 500 = 3582.35; last 11-10 (Misc 11-12 is after `to`)
        acct(ds, "a00000000001", "Main checking", "checking", "USD", "4200.10", True,
             "5000.00", "3582.35", 7, "2026-11-10"),
        acct(ds, "a00000000009", "Tokyo", "checking", "JPY", "150000.00", True,
             "0.00", "6000.00", 3, "2026-11-07"),
        acct(ds, "a00000000006", "Zeta", "checking", "EUR", "3000.00", True,
             "2000.00", "1500.00", 3, "2026-11-10"),
        # alpha: its only transaction (11-20) is after `to` -> null
        acct(ds, "a00000000005", "alpha", "checking", "USD", "0.00", True, "0.00", "0.00", 0, None),
        acct(ds, "a00000000008", "Amex", "credit_card", "EUR", "0.00", True,
             "0.00", "779.90", 1, "2026-11-06"),
        # Visa: -120.10 (11-05), +20.10 (11-07); Flight 11-15 after `to`
        acct(ds, "a00000000003", "Visa", "credit_card", "USD", "-1250.40", True,
             "20.10", "120.10", 2, "2026-11-07"),
        acct(ds, "a0000000000e", "Brokerage", "investment", "USD", "2500.00", True,
             "0.00", "0.00", 0, None),
        acct(ds, "a00000000004", "Car loan", "loan", "USD", "-8000.00", True,
             "0.00", "0.00", 0, None),
        acct(ds, "a0000000000f", "Oslo", "savings", "NOK", "2000.00", True,
             "0.00", "0.00", 0, "2026-10-15"),
        acct(ds, "a00000000002", "Savings", "savings", "USD", "10000.00", True,
             "500.00", "0.00", 1, "2026-11-10"),
        acct(ds, "a00000000007", "\u00c9pargne", "savings", "EUR", "1500.50", True,
             "300.00", "0.00", 1, "2026-11-10"),
    ]
    dd.check({"period": {"from": "2026-11-01", "to": "2026-11-10"}, "accounts": expected},
             body, "accounts " + path)


def test_period_in_october(findash, get_json, main):
    # 2026-10-11..2026-10-31: Main checking has Bonus +1000.00 (10-11) and -300.00 (10-31);
    # its -100.00 on 10-10 is before `from` (not counted) and not its latest either.
    path = "/financial/dashboard/accounts?from=2026-10-11&to=2026-10-31"
    body = dd.get_ok(get_json, findash, path, main.token())
    got = dd.by_key(body["accounts"], "id")
    ds = main
    expected = {
        ds.id("a00000000001"): {"period_inflow": "1000.00", "period_outflow": "300.00",
                                "transactions_count": 2, "last_transaction_on": "2026-10-31"},
        # Tokyo: Ramen -2000.00 (10-20)
        ds.id("a00000000009"): {"period_inflow": "0.00", "period_outflow": "2000.00",
                                "transactions_count": 1, "last_transaction_on": "2026-10-20"},
        # Oslo: Rente +100.00 (10-15)
        ds.id("a0000000000f"): {"period_inflow": "100.00", "period_outflow": "0.00",
                                "transactions_count": 1, "last_transaction_on": "2026-10-15"},
        # Visa: nothing up to 10-31 -> null
        ds.id("a00000000003"): {"period_inflow": "0.00", "period_outflow": "0.00",
                                "transactions_count": 0, "last_transaction_on": None},
    }
    for account_id, fields in expected.items():
        assert account_id in got, "account %s missing from %s" % (account_id, dd.short(body))
        dd.check(fields, got[account_id], "accounts %s account %s" % (path, account_id))


def test_huge_sums_are_exact(findash, get_json, huge):
    path = "/financial/dashboard/accounts?" + PERIOD
    body = dd.get_ok(get_json, findash, path, huge.token())
    accounts = body["accounts"]
    # checking < loan < savings; "Debt 001".."Debt 100", "Vault 001".."Vault 100"
    names = ["Big checking"] + ["Debt %03d" % i for i in range(1, 101)] + \
            ["Vault %03d" % i for i in range(1, 101)]
    assert [a["name"] for a in accounts] == names
    # Big checking: 100 incomes of M = 99999999999999999.99 plus 0.01 -> inflow 10^19 - 1 + 0.01;
    # 50 expenses of -M -> outflow 5 * 10^18 - 0.50; 151 transactions, all on 11-10
    dd.check(acct(huge, "a00000000001", "Big checking", "checking", "USD", "0.02", True,
                  "9999999999999999999.01", "4999999999999999999.50", 151, "2026-11-10"),
             accounts[0], "accounts (huge) first entry")
    dd.check(acct(huge, "b10000000001", "Vault 001", "savings", "USD", "99999999999999999.99", True,
                  "0.00", "0.00", 0, None), accounts[101], "accounts (huge) Vault 001")
    dd.check(acct(huge, "b20000000064", "Debt 100", "loan", "USD", "-99999999999999999.99", True,
                  "0.00", "0.00", 0, None), accounts[100], "accounts (huge) Debt 100")
