"""Row-level security as a second wall around tenancy (issue 8, item 5).

The server reads as `findash_reader` with its tenant named in `findash.tenant_type` /
`findash.tenant_id`. These tests run queries *without* any tenant filter under that role and
show they still see only the named tenant's rows (and none without a tenant), while the
tables' owner and other writer roles keep writing with plain statements, unhindered.
"""
import uuid

import pytest

from support import make_token


def _tenant(prefix):
    return "rls_%s_%s" % (prefix, uuid.uuid4().hex[:10])


@pytest.fixture(scope="module")
def two_tenants(migrated):
    from support import psql
    a, b = _tenant("a"), _tenant("b")
    for tid, n in ((a, 3), (b, 5)):
        acc = str(uuid.uuid4())
        psql("INSERT INTO accounts (id, tenant_type, tenant_id, name, type, currency, balance) "
             "VALUES ($1, 'user', $2, 'Main', 'checking', 'USD', 10.00)", acc, tid)
        for i in range(n):
            psql("INSERT INTO transactions (tenant_type, tenant_id, account_id, amount, currency, kind, category, description, booked_on) "
                 "VALUES ('user', $1, $2, -1.00, 'USD', 'expense', 'food', 'x', '2026-11-02')", tid, acc)
        psql("INSERT INTO budgets (tenant_type, tenant_id, name, category, currency, amount, period, starts_on) "
             "VALUES ('user', $1, 'Food', 'food', 'USD', 100.00, 'monthly', '2026-01-01')", tid)
    yield a, b
    for tid in (a, b):
        psql("DELETE FROM transactions WHERE tenant_id = $1", tid)
        psql("DELETE FROM budgets WHERE tenant_id = $1", tid)
        psql("DELETE FROM accounts WHERE tenant_id = $1", tid)


def _as_reader(psql, sql, tenant=None):
    context = ""
    if tenant is not None:
        context = "SELECT set_config('findash.tenant_type', 'user', false), set_config('findash.tenant_id', '%s', false);" % tenant
    # One psql -c: SET ROLE, the context and the query run in one session.
    out = psql("SET ROLE findash_reader; %s %s" % (context, sql))
    return out.splitlines()[-1] if out else out


def test_unfiltered_queries_see_only_the_named_tenant(psql, two_tenants):
    a, b = two_tenants
    assert _as_reader(psql, "SELECT count(*) FROM transactions", a) == "3"
    assert _as_reader(psql, "SELECT count(*) FROM transactions", b) == "5"
    assert _as_reader(psql, "SELECT count(DISTINCT tenant_id) FROM accounts", a) == "1"
    assert _as_reader(psql, "SELECT string_agg(DISTINCT tenant_id, ',') FROM budgets", b) == b


def test_reader_without_tenant_context_sees_nothing(psql, two_tenants):
    for table in ("accounts", "transactions", "budgets"):
        assert _as_reader(psql, "SELECT count(*) FROM %s" % table) == "0", table


def test_reader_cannot_write(psql, two_tenants):
    a, _ = two_tenants
    with pytest.raises(AssertionError, match="permission denied"):
        _as_reader(psql, "DELETE FROM transactions", a)


def test_owner_writes_with_plain_statements_unhindered(psql, two_tenants):
    a, b = two_tenants
    # The owner (DATABASE_URL's role) sees and changes every tenant's rows, as before.
    assert int(psql("SELECT count(*) FROM transactions WHERE tenant_id IN ($1, $2)", a, b)) == 8
    acc = psql("SELECT id FROM accounts WHERE tenant_id = $1", a)
    psql("INSERT INTO transactions (tenant_type, tenant_id, account_id, amount, currency, kind, category, description, booked_on) "
         "VALUES ('user', $1, $2, 7.00, 'USD', 'income', NULL, 'pay', '2026-11-03')", a, acc)
    psql("UPDATE accounts SET balance = 11.00 WHERE tenant_id = $1", a)
    psql("DELETE FROM transactions WHERE tenant_id = $1 AND amount = 7.00", a)
    assert psql("SELECT balance FROM accounts WHERE tenant_id = $1", a) == "11.00"


def test_another_writer_role_is_unhindered(psql, two_tenants):
    a, _ = two_tenants
    role = "rls_writer_%s" % uuid.uuid4().hex[:8]
    psql("CREATE ROLE %s NOLOGIN; GRANT %s TO CURRENT_USER; "
         "GRANT SELECT, INSERT, UPDATE, DELETE ON accounts, transactions, budgets TO %s" % (role, role, role))
    try:
        out = psql("SET ROLE %s; UPDATE budgets SET amount = 120.00 WHERE tenant_id = '%s'; "
                   "SELECT count(*) FROM budgets WHERE tenant_id = '%s'" % (role, a, a))
        assert out.splitlines()[-1] == "1"
        assert psql("SELECT amount FROM budgets WHERE tenant_id = $1", a) == "120.00"
    finally:
        psql("REVOKE ALL ON accounts, transactions, budgets FROM %s; DROP ROLE %s" % (role, role))


def test_server_answers_through_the_reader_role(findash, get_json, two_tenants):
    a, b = two_tenants
    for tid, expected in ((a, 3), (b, 5)):
        status, _, body = get_json(findash, "/financial/dashboard/summary?from=2026-11-01&to=2026-11-21",
                                   make_token("user", tid))
        assert status == 200, body
        assert body["transactions_count"] == expected


def test_a_custom_reader_role_granted_findash_reader_is_walled_too(psql, two_tenants):
    a, b = two_tenants
    role = "rls_custom_reader_%s" % uuid.uuid4().hex[:8]
    psql("CREATE ROLE %s NOLOGIN; GRANT findash_reader TO %s; GRANT %s TO CURRENT_USER" % (role, role, role))
    try:
        out = psql("SET ROLE %s; SELECT set_config('findash.tenant_type', 'user', false), "
                   "set_config('findash.tenant_id', '%s', false); SELECT count(*) FROM transactions" % (role, b))
        assert out.splitlines()[-1] == "5"
        out = psql("SET ROLE %s; SELECT count(*) FROM accounts" % role)
        assert out.splitlines()[-1] == "0"
    finally:
        psql("DROP ROLE %s" % role)
