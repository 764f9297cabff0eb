"""GET /financial/dashboard/summary against hand-computed answers (CONTRACT.md §4).

Data: fixtures/main.sql (tenant user/fx_<session>_sum) and fixtures/huge.sql.
Main period 2026-11-01..2026-11-21 (a Sunday .. a Saturday).
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
import dashdata as dd  # noqa: E402

MAIN = "/financial/dashboard/summary?from=2026-11-01&to=2026-11-21"


@pytest.fixture(scope="module")
def main(psql):
    ds = dd.load(psql, "main", "sum")
    yield ds
    dd.unload(psql, ds)


@pytest.fixture(scope="module")
def huge(psql):
    ds = dd.load(psql, "huge", "sumhuge")
    yield ds
    dd.unload(psql, ds)


def test_main_period_per_currency(findash, get_json, main):
    body = dd.get_ok(get_json, findash, MAIN, main.token())
    expected = {
        "tenant": {"type": "user", "id": main.tenant_id},
        "period": {"from": "2026-11-01", "to": "2026-11-21"},
        "currencies": [
            # CHF: no account at all; two CHF transactions on the USD "Main checking":
            #   expense -40.00 (11-08) and its refund +40.00 (11-09)
            #   expenses = -(-40.00 + 40.00) = 0.00 (never "-0.00"); income 0.00 -> rate null
            {"currency": "CHF", "total_assets": "0.00", "total_liabilities": "0.00",
             "net_worth": "0.00", "income": "0.00", "expenses": "0.00",
             "net_cash_flow": "0.00", "savings_rate": None},
            # EUR: assets Zeta 3000.00 + Épargne 1500.50 = 4500.50; liabilities -(Amex 0.00) = 0.00
            #   income 2000.00; expenses 1200.00 + 779.90 = 1979.90 (transfer ±300.00 excluded)
            #   net 2000.00 - 1979.90 = 20.10; rate 20.10 / 2000.00 * 100 = 1.005 -> 1.01 (half away)
            {"currency": "EUR", "total_assets": "4500.50", "total_liabilities": "0.00",
             "net_worth": "4500.50", "income": "2000.00", "expenses": "1979.90",
             "net_cash_flow": "20.10", "savings_rate": 1.01},
            # GBP: the only GBP account is inactive -> balances 0.00, but its transactions count:
            #   income 1000.00; expenses 250.00 + 751.25 = 1001.25; net -1.25
            #   rate -1.25 / 1000.00 * 100 = -0.125 -> -0.13 (half away from zero)
            {"currency": "GBP", "total_assets": "0.00", "total_liabilities": "0.00",
             "net_worth": "0.00", "income": "1000.00", "expenses": "1001.25",
             "net_cash_flow": "-1.25", "savings_rate": -0.13},
            # JPY: Tokyo 150000.00; expenses 1500 + 3000 + 1500 = 6000.00 (Ramen 10-20 is before
            #   `from`); no income -> rate null; net 0 - 6000.00
            {"currency": "JPY", "total_assets": "150000.00", "total_liabilities": "0.00",
             "net_worth": "150000.00", "income": "0.00", "expenses": "6000.00",
             "net_cash_flow": "-6000.00", "savings_rate": None},
            # NOK: an active account (Oslo 2000.00) and no transaction in the period -> listed, zeros
            {"currency": "NOK", "total_assets": "2000.00", "total_liabilities": "0.00",
             "net_worth": "2000.00", "income": "0.00", "expenses": "0.00",
             "net_cash_flow": "0.00", "savings_rate": None},
            # USD assets (active): Main checking 4200.10 + Savings 10000.00 + alpha 0.00
            #   + Wallet 80.25 + Wallet 19.75 + Brokerage 2500.00 = 16800.10 (Closed savings 123.45 inactive)
            # liabilities: -(Visa -1250.40 + Car loan -8000.00) = 9250.40; net worth 16800.10 - 9250.40 = 7549.70
            # income: Salary 5000.00 + Interest 0.05 = 5000.05 (Bonus 10-11 before `from`)
            # expenses: Rent 1500 + Hotel 1500 + Flight 1500 + 82.35 + 120.10 - 20.10 (refund)
            #   + 45.00 (null category) + 200.00 (inactive account) + 19.99 + 0.01 = 4947.35
            #   (-999.99 on 11-22 is after `to`, -300.00 on 10-31 before `from`, transfers ±500 excluded)
            # net 5000.05 - 4947.35 = 52.70; rate 52.70 / 5000.05 * 100 = 1.05399 -> 1.05
            {"currency": "USD", "total_assets": "16800.10", "total_liabilities": "9250.40",
             "net_worth": "7549.70", "income": "5000.05", "expenses": "4947.35",
             "net_cash_flow": "52.70", "savings_rate": 1.05},
        ],
        # active: Main checking, Savings, Visa, Car loan, alpha, Zeta, Épargne, Amex, Tokyo,
        #   Wallet, Wallet, Brokerage, Oslo = 13 (Old GBP and Closed savings inactive)
        "accounts_count": 13,
        # in 2026-11-01..21: USD 14 (2 income, 10 expense, 2 transfer) + CHF 2 + EUR 5 + JPY 3 + GBP 3 = 27
        "transactions_count": 27,
        # as_of = to = 2026-11-21: Groceries 182.35/500 on_track, Housing 1500/1875 = exactly 80 %
        # -> warning, Travel 3000/2500 over_budget; "Old budget" is inactive
        "budgets": {"total": 3, "on_track": 1, "warning": 1, "over_budget": 1},
    }
    dd.check(expected, body, "summary " + MAIN)
    assert set(body) >= {"tenant", "period", "currencies", "accounts_count",
                         "transactions_count", "budgets", "generated_at"}


def test_previous_month_range_drops_currencies_without_accounts_or_transactions(findash, get_json, main):
    path = "/financial/dashboard/summary?from=2026-10-11&to=2026-10-31"
    body = dd.get_ok(get_json, findash, path, main.token())
    expected = {
        "period": {"from": "2026-10-11", "to": "2026-10-31"},
        "currencies": [
            # CHF and GBP: no active account and no transaction in the period -> absent
            # EUR: active accounts, no transaction -> zeros, rate null
            {"currency": "EUR", "total_assets": "4500.50", "total_liabilities": "0.00",
             "net_worth": "4500.50", "income": "0.00", "expenses": "0.00",
             "net_cash_flow": "0.00", "savings_rate": None},
            # JPY: Ramen -2000.00 on 10-20
            {"currency": "JPY", "total_assets": "150000.00", "total_liabilities": "0.00",
             "net_worth": "150000.00", "income": "0.00", "expenses": "2000.00",
             "net_cash_flow": "-2000.00", "savings_rate": None},
            # NOK: Rente +100.00 on 10-15; rate 100 / 100 * 100 = 100
            {"currency": "NOK", "total_assets": "2000.00", "total_liabilities": "0.00",
             "net_worth": "2000.00", "income": "100.00", "expenses": "0.00",
             "net_cash_flow": "100.00", "savings_rate": 100.0},
            # USD: Bonus +1000.00 on 10-11 (= from, inclusive); -300.00 on 10-31 (= to, inclusive);
            #   -100.00 on 10-10 is before `from`. net 700.00, rate 700 / 1000 * 100 = 70
            {"currency": "USD", "total_assets": "16800.10", "total_liabilities": "9250.40",
             "net_worth": "7549.70", "income": "1000.00", "expenses": "300.00",
             "net_cash_flow": "700.00", "savings_rate": 70.0},
        ],
        "accounts_count": 13,
        # Bonus 10-11, Rente 10-15, Ramen 10-20, Previous period 10-31 = 4
        "transactions_count": 4,
        # as_of 2026-10-31: Groceries (October) spent 100.00 (10-10) + 300.00 (10-31) = 400.00
        #   = 0.8 * 500 exactly -> warning; Travel 0.00 on_track; Housing (Q4 from 10-01) 0.00 on_track
        "budgets": {"total": 3, "on_track": 2, "warning": 1, "over_budget": 0},
    }
    dd.check(expected, body, "summary " + path)


def test_huge_sums_are_exact(findash, get_json, huge):
    path = "/financial/dashboard/summary?from=2026-11-01&to=2026-11-21"
    body = dd.get_ok(get_json, findash, path, huge.token())
    # M = 99999999999999999.99 = 10^17 - 0.01 (numeric(19,2)'s maximum)
    expected = {
        "currencies": [
            # assets: Big checking 0.02 + 100 vaults * M = 0.02 + (10^19 - 1) = 9999999999999999999.02
            # liabilities: -(100 loans * -M) = 10^19 - 1 = 9999999999999999999.00; net worth 0.02
            # income: 100 * M + 0.01 = 9999999999999999999.01
            # expenses: 50 * M = 5 * 10^18 - 0.50 = 4999999999999999999.50
            # net: 9999999999999999999.01 - 4999999999999999999.50 = 4999999999999999999.51
            # rate: 4999999999999999999.51 / 9999999999999999999.01 = 0.50000000000000000005… -> 50.00
            {"currency": "USD", "total_assets": "9999999999999999999.02",
             "total_liabilities": "9999999999999999999.00", "net_worth": "0.02",
             "income": "9999999999999999999.01", "expenses": "4999999999999999999.50",
             "net_cash_flow": "4999999999999999999.51", "savings_rate": 50.0},
        ],
        "accounts_count": 201,       # 1 + 100 + 100
        "transactions_count": 151,   # 100 + 1 + 50
        # "Big": spent 4999999999999999999.50 > budgeted M -> over_budget
        "budgets": {"total": 1, "on_track": 0, "warning": 0, "over_budget": 1},
    }
    dd.check(expected, body, "summary (huge) " + path)
