/// The aggregation SQL behind every figure of CONTRACT §4.
///
/// Each section is one branch of a single `UNION ALL` statement, so whatever set of sections an
/// endpoint needs is read in one round trip from one snapshot (a single statement always sees
/// one snapshot). Every branch yields `(section, ordinal, c1 … c16)` as text: money leaves
/// PostgreSQL as exact NUMERIC text rounded to cents, and nothing is ever cast to a float or to
/// the column's type.
///
/// All values are bound parameters with a fixed meaning:
/// `$1` tenant_type, `$2` tenant_id, `$3` from, `$4` to, `$5` as_of, `$6` previous period's first
/// day, `$7` granularity (`day`/`week`/`month`), `$8` top, `$9` include_inactive.
/// The SQL text itself is constant: it is assembled only from the literals below.
enum DashboardSQL {
    enum Section: Int, CaseIterable, Sendable {
        case summaryCurrencies = 1, accounts, transactionCurrencies, largestExpenses, categories, trend, budgets
    }

    static let columnCount = 16

    /// The statement reading `sections`, in section order, rows ordered within each.
    static func statement(_ sections: [Section]) -> String {
        // Naming every parameter's type once makes statements that use only some of them valid.
        var sql = "WITH params AS (SELECT $1::text, $2::text, $3::date, $4::date, $5::date, $6::date, $7::text, $8::int, $9::boolean)"
        if sections.contains(where: { $0 != .budgets }) {
            // The period's transactions, read once through the tenant + date index (an index-only
            // scan: every column is in the index), grouped per day, currency, kind, category and
            // account — exact sums of sums, many times fewer rows — and shared by every section
            // below. The previous period is included only when a section compares with it.
            let first = sections.contains(.transactionCurrencies) ? "$6::date" : "$3::date"
            sql += """
                , period_rows AS MATERIALIZED (
                    SELECT booked_on, currency, kind, category, account_id, SUM(amount) AS amount,
                           SUM(amount) FILTER (WHERE amount > 0) AS inflow, SUM(amount) FILTER (WHERE amount < 0) AS outflow,
                           count(*) AS n, min(amount) AS lowest
                    FROM transactions
                    WHERE \(tenant) AND booked_on BETWEEN \(first) AND $4::date
                    GROUP BY booked_on, currency, kind, category, account_id)
                """
        }
        sql += " " + sections.map { "(" + branch($0) + ")" }.joined(separator: " UNION ALL ")
        sql += " ORDER BY 1, 2"
        return sql
    }

    /// `round(n / d, 2)`, half away from zero, computed exactly: `div` truncates the exact
    /// quotient, so `floor((2|n|·100 + |d|) / 2|d|)` is the correctly rounded count of cents
    /// (scaled back by multiplying with 0.01: numeric division would pick its own, possibly
    /// zero, result scale for large values). NULL when `d` is zero.
    static func roundedQuotient(_ numerator: String, _ denominator: String) -> String {
        let n = "(\(numerator))::numeric", d = "(\(denominator))::numeric"
        return "(CASE WHEN (\(d)) = 0 THEN NULL ELSE round(sign(\(n)) * sign(\(d)) * div(2 * abs(\(n)) * 100 + abs(\(d)), 2 * abs(\(d))) * 0.01, 2) END)"
    }

    /// `n / d × 100`, rounded half away from zero to 2 decimals; NULL when `d` is zero.
    static func percentage(_ n: String, _ d: String) -> String { roundedQuotient("(\(n)) * 100", d) }

    private static func row(_ section: Section, ordinal: String, _ columns: [String]) -> String {
        precondition(columns.count <= columnCount)
        let padded = columns + Array(repeating: "NULL::text", count: columnCount - columns.count)
        return "SELECT \(section.rawValue), \(ordinal), " + padded.joined(separator: ", ")
    }

    private static let tenant = "tenant_type = $1 AND tenant_id = $2"
    private static let assetTypes = "('checking', 'savings', 'cash', 'investment')"
    private static let liabilityTypes = "('credit_card', 'loan')"

    private static func branch(_ section: Section) -> String {
        switch section {
        case .summaryCurrencies:
            // Balances of active accounts and the period's flows, per currency, full-joined so a
            // currency with only one of the two still appears. c9/c10: counts summed by the caller.
            return row(section, ordinal: "row_number() OVER (ORDER BY currency COLLATE \"C\")", [
                "currency", "round(assets, 2)::text", "round(liabilities, 2)::text", "round(assets - liabilities, 2)::text",
                "round(income, 2)::text", "round(expenses, 2)::text", "round(income - expenses, 2)::text",
                percentage("income - expenses", "income") + "::text", "accounts::text", "transactions::text",
            ]) + """
                 FROM (SELECT COALESCE(b.currency, f.currency)::text AS currency,
                              COALESCE(b.assets, 0) AS assets, COALESCE(b.liabilities, 0) AS liabilities,
                              COALESCE(b.accounts, 0) AS accounts,
                              COALESCE(f.income, 0) AS income, COALESCE(f.expenses, 0) AS expenses,
                              COALESCE(f.transactions, 0) AS transactions
                       FROM (SELECT currency,
                                    COALESCE(SUM(balance) FILTER (WHERE type IN \(assetTypes)), 0) AS assets,
                                    -COALESCE(SUM(balance) FILTER (WHERE type IN \(liabilityTypes)), 0) AS liabilities,
                                    count(*) AS accounts
                             FROM accounts WHERE \(tenant) AND is_active GROUP BY currency) b
                       FULL JOIN (SELECT currency,
                                    COALESCE(SUM(amount) FILTER (WHERE kind = 'income'), 0) AS income,
                                    -COALESCE(SUM(amount) FILTER (WHERE kind = 'expense'), 0) AS expenses,
                                    SUM(n) AS transactions
                             FROM period_rows WHERE booked_on >= $3::date GROUP BY currency) f
                       ON b.currency = f.currency) x
                """

        case .accounts:
            // Flows only in the account's own currency; the count over any currency; the latest
            // booking up to `to` through the (account_id, booked_on) index.
            return row(section, ordinal: "row_number() OVER (ORDER BY a.type COLLATE \"C\", a.name COLLATE \"C\", a.id)", [
                "a.id::text", "a.name", "a.type", "a.currency::text", "round(a.balance, 2)::text", "a.is_active::text",
                "round(COALESCE(t.inflow, 0), 2)::text", "round(COALESCE(t.outflow, 0), 2)::text",
                "COALESCE(t.n, 0)::text", "l.last::text",
            ]) + """
                 FROM accounts a
                 LEFT JOIN (SELECT r.account_id,
                                   SUM(r.inflow) FILTER (WHERE r.currency = ac.currency) AS inflow,
                                   -SUM(r.outflow) FILTER (WHERE r.currency = ac.currency) AS outflow,
                                   SUM(r.n) AS n
                            FROM period_rows r JOIN accounts ac ON ac.id = r.account_id
                            WHERE r.booked_on >= $3::date
                            GROUP BY r.account_id) t ON t.account_id = a.id
                 LEFT JOIN LATERAL (SELECT max(tx.booked_on) AS last FROM transactions tx
                                    WHERE tx.account_id = a.id AND tx.tenant_type = $1 AND tx.tenant_id = $2
                                      AND tx.booked_on <= $4::date) l ON true
                 WHERE a.tenant_type = $1 AND a.tenant_id = $2 AND ($9::boolean OR a.is_active)
                """

        case .transactionCurrencies:
            // One scan over the previous period and the period together.
            return row(section, ordinal: "row_number() OVER (ORDER BY currency COLLATE \"C\")", [
                "currency", "round(income, 2)::text", "round(expenses, 2)::text", "round(income - expenses, 2)::text",
                "n::text", "COALESCE(" + roundedQuotient("expenses", "expense_n") + ", 0.00)::text",
                "round(previous_income, 2)::text", "round(previous_expenses, 2)::text",
                percentage("expenses - previous_expenses", "previous_expenses") + "::text",
            ]) + """
                 FROM (SELECT currency::text AS currency,
                              COALESCE(SUM(amount) FILTER (WHERE kind = 'income' AND booked_on >= $3::date), 0) AS income,
                              -COALESCE(SUM(amount) FILTER (WHERE kind = 'expense' AND booked_on >= $3::date), 0) AS expenses,
                              COALESCE(SUM(n) FILTER (WHERE booked_on >= $3::date), 0) AS n,
                              COALESCE(SUM(n) FILTER (WHERE kind = 'expense' AND booked_on >= $3::date), 0) AS expense_n,
                              COALESCE(SUM(amount) FILTER (WHERE kind = 'income' AND booked_on < $3::date), 0) AS previous_income,
                              -COALESCE(SUM(amount) FILTER (WHERE kind = 'expense' AND booked_on < $3::date), 0) AS previous_expenses
                       FROM period_rows GROUP BY currency) x
                 WHERE n > 0
                """

        case .largestExpenses:
            // The lowest amount, then the earliest day with it, from the day groups (hash
            // aggregates, no sort); then that day's matching rows by id through the index (only
            // then is a wide row read).
            return row(section, ordinal: "row_number() OVER (ORDER BY c.currency COLLATE \"C\")", [
                "c.currency::text", "t.id::text", "round(t.amount, 2)::text", "t.description",
                "COALESCE(t.category, 'uncategorized')", "t.booked_on::text",
            ]) + """
                 FROM (SELECT r.currency, m.amount, min(r.booked_on) AS booked_on
                       FROM period_rows r
                       JOIN (SELECT currency, min(lowest) AS amount FROM period_rows
                             WHERE booked_on >= $3::date AND kind = 'expense' GROUP BY currency) m
                         ON r.currency = m.currency AND r.lowest = m.amount
                       WHERE r.booked_on >= $3::date AND r.kind = 'expense'
                       GROUP BY r.currency, m.amount) c
                 CROSS JOIN LATERAL (SELECT id, amount, description, category, booked_on FROM transactions
                                     WHERE tenant_type = $1 AND tenant_id = $2 AND booked_on = c.booked_on
                                       AND kind = 'expense' AND currency = c.currency AND amount = c.amount
                                     ORDER BY id LIMIT 1) t
                """

        case .categories:
            return row(section, ordinal: "row_number() OVER (ORDER BY currency COLLATE \"C\", rank)", [
                "currency", "category", "round(expenses, 2)::text", "n::text", percentage("expenses", "total") + "::text",
            ]) + """
                 FROM (SELECT currency::text AS currency, COALESCE(category, 'uncategorized') AS category,
                              -SUM(amount) AS expenses, SUM(n) AS n,
                              row_number() OVER (PARTITION BY currency
                                                 ORDER BY -SUM(amount) DESC, COALESCE(category, 'uncategorized') COLLATE "C") AS rank,
                              SUM(-SUM(amount)) OVER (PARTITION BY currency) AS total
                       FROM period_rows WHERE booked_on >= $3::date AND kind = 'expense'
                       GROUP BY currency, COALESCE(category, 'uncategorized')) z
                 WHERE rank <= $8::int
                """

        case .trend:
            // Buckets with data only; the caller zero-fills the calendar.
            return row(section, ordinal: "row_number() OVER (ORDER BY currency COLLATE \"C\", bucket)", [
                "currency", "bucket::text", "round(income, 2)::text", "round(expenses, 2)::text", "round(income - expenses, 2)::text",
            ]) + """
                 FROM (SELECT currency::text AS currency, date_trunc($7::text, booked_on::timestamp)::date AS bucket,
                              COALESCE(SUM(amount) FILTER (WHERE kind = 'income'), 0) AS income,
                              -COALESCE(SUM(amount) FILTER (WHERE kind = 'expense'), 0) AS expenses
                       FROM period_rows WHERE booked_on >= $3::date
                       GROUP BY 1, 2) w
                """

        case .budgets:
            // The calendar period containing as_of, cut to starts_on / ends_on (and to the end of
            // year 9999); spent from the
            // period's first day to as_of; status compared exactly, not through the percentage.
            return row(section, ordinal: "row_number() OVER (ORDER BY name COLLATE \"C\", id)", [
                "id::text", "name", "category", "currency::text", "period", "period_start::text", "period_end::text",
                "round(amount, 2)::text", "round(spent, 2)::text", "round(amount - spent, 2)::text",
                percentage("spent", "amount") + "::text", "(alert_threshold * 100)::text",
                "CASE WHEN spent > amount THEN 'over_budget' WHEN spent >= alert_threshold * amount THEN 'warning' ELSE 'on_track' END",
                roundedQuotient("spent * (period_end - period_start + 1)", "$5::date - period_start + 1") + "::text",
                "($5::date - period_start + 1)::text", "(period_end - $5::date)::text",
            ]) + """
                 FROM (SELECT bu.id, bu.name, bu.category, bu.currency, bu.period, bu.amount, bu.alert_threshold,
                              p.period_start, p.period_end, COALESCE(s.spent, 0) AS spent
                       FROM budgets bu
                       CROSS JOIN LATERAL (
                           SELECT GREATEST(c.start, bu.starts_on) AS period_start,
                                  -- The calendar stops at 9999-12-31 (CONTRACT §2: dates are YYYY-MM-DD).
                                  LEAST(c.finish, COALESCE(bu.ends_on, c.finish), DATE '9999-12-31') AS period_end
                           FROM (SELECT s.start, (s.start + s.step)::date - 1 AS finish
                                 FROM (SELECT date_trunc(u.unit, $5::date::timestamp)::date AS start, u.step
                                       FROM (SELECT CASE bu.period WHEN 'weekly' THEN 'week' WHEN 'monthly' THEN 'month'
                                                                   WHEN 'quarterly' THEN 'quarter' ELSE 'year' END AS unit,
                                                    CASE bu.period WHEN 'weekly' THEN interval '7 days' WHEN 'monthly' THEN interval '1 month'
                                                                   WHEN 'quarterly' THEN interval '3 months' ELSE interval '1 year' END AS step) u) s) c) p
                       -- A lateral join, not a scalar subquery in the select list: that one would be
                       -- evaluated again for every reference to `spent` above.
                       LEFT JOIN LATERAL (SELECT -SUM(t.amount) AS spent FROM transactions t
                                          WHERE t.tenant_type = $1 AND t.tenant_id = $2 AND t.kind = 'expense'
                                            AND t.category = bu.category AND t.currency = bu.currency
                                            AND t.booked_on BETWEEN p.period_start AND $5::date) s ON true
                       WHERE bu.tenant_type = $1 AND bu.tenant_id = $2 AND bu.is_active
                         AND bu.starts_on <= $5::date AND (bu.ends_on IS NULL OR bu.ends_on >= $5::date)) b
                """
        }
    }
}
