import PQ

/// `findash seed`: loads deterministic, realistic demo data with COPY.
///
/// What it makes (see `SeedOptions`): tenants `user_NNNN` / `org_NNNN` (plus the
/// organization `user_0001`, sharing the first user's id) with Zipf-skewed sizes; every
/// account type, liabilities at negative or zero balances, inactive accounts; two years of
/// income, expenses (with refunds and uncategorised rows) and transfer pairs in USD, EUR,
/// GBP and JPY; budgets of every period in every status on `today`.
///
/// Re-running is idempotent: in one transaction it first deletes every row of the tenants
/// it is about to generate (and only those), then COPYs accounts, transactions and budgets,
/// then commits and runs `VACUUM (ANALYZE)` so plans and index-only scans are good at once.
/// Other tenants are untouched; tenants of an earlier run with a larger `--tenants` stay.
public enum Seeder {
    public static func seed(conninfo: String, options: SeedOptions, log: (String) -> Void) throws {
        let started = SeedMath.monotonicSeconds()
        let tenants = SeedTenant.plan(options)
        let profiles = tenants.map { SeedProfile(tenant: $0, options: options) }
        log("seed: \(tenants.count) tenants, \(tenants.reduce(0) { $0 + $1.transactionCount }) transactions, seed \(options.seed), today \(date(options.today)); "
            + "largest tenant \(tenants[0].typeName)/\(tenants[0].id) with \(tenants[0].transactionCount) transactions")

        // Pass one: histories are generated to tune budget limits, then dropped; the
        // transactions COPY regenerates them (same streams, same rows).
        var finalBalances: [[Int64]] = []
        var budgets: [[SeedBudget]] = []
        for profile in profiles {
            let history = SeedHistory.generate(profile, seed: options.seed)
            finalBalances.append(balances(profile, seed: options.seed))
            budgets.append(SeedBudgets.generate(profile, history: history, seed: options.seed))
        }

        let connection = try PQConnection(conninfo: conninfo, timeoutSeconds: 10)
        try connection.execute("BEGIN", timeoutSeconds: 10)
        do throws(PQError) {
            let types = "{" + tenants.map(\.typeName).joined(separator: ",") + "}"
            let ids = "{" + tenants.map(\.id).joined(separator: ",") + "}"
            var deleted = 0
            for table in ["transactions", "budgets", "accounts"] {  // children before parents
                let sql = "DELETE FROM \(table) WHERE (tenant_type, tenant_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))"
                deleted += try connection.query(PQQuery(unsafeSQL: sql, params: [types, ids]), timeoutSeconds: 900).affectedRows
            }
            log("seed: deleted \(deleted) existing rows of these tenants")

            var accounts = SeedCopyBuffer(capacity: 1 << 16)
            var accountCount = 0
            for (profile, finals) in zip(profiles, finalBalances) {
                let prefix = SeedRows.tenantPrefix(profile.tenant)
                for (account, balance) in zip(profile.accounts, finals) {
                    SeedRows.account(account, balance: balance, tenant: prefix, today: options.today, into: &accounts)
                    accountCount += 1
                }
            }
            try connection.copyIn("COPY accounts (\(SeedRows.accountColumns)) FROM STDIN", chunks: [accounts.bytes], timeoutSeconds: 300)
            log("seed: copied \(accountCount) accounts")

            let copyStarted = SeedMath.monotonicSeconds()
            try connection.copyIn("COPY transactions (\(SeedRows.transactionColumns)) FROM STDIN",
                                  chunks: SeedTransactionChunks(profiles: profiles, seed: options.seed), timeoutSeconds: 3600)
            log("seed: copied \(tenants.reduce(0) { $0 + $1.transactionCount }) transactions in \(SeedMath.oneDecimal(SeedMath.monotonicSeconds() - copyStarted)) s")

            var budgetRows = SeedCopyBuffer(capacity: 1 << 16)
            var counts: [SeedBudgetStatus?: Int] = [:]
            for (profile, list) in zip(profiles, budgets) {
                let prefix = SeedRows.tenantPrefix(profile.tenant)
                for budget in list {
                    SeedRows.budget(budget, tenant: prefix, today: options.today, into: &budgetRows)
                    counts[budget.status, default: 0] += 1
                }
            }
            try connection.copyIn("COPY budgets (\(SeedRows.budgetColumns)) FROM STDIN", chunks: [budgetRows.bytes], timeoutSeconds: 300)
            log("seed: copied \(budgets.joined().count) budgets; on \(date(options.today)): \(counts[.onTrack] ?? 0) on_track, "
                + "\(counts[.warning] ?? 0) warning, \(counts[.overBudget] ?? 0) over_budget, \(counts[nil] ?? 0) not listed")

            try connection.execute("COMMIT", timeoutSeconds: 600)
        } catch {
            if !connection.isBroken { try? connection.execute("ROLLBACK", timeoutSeconds: 30) }
            throw error
        }
        // Outside the transaction (VACUUM cannot run in one): fresh statistics for the
        // planner and a visibility map for index-only scans.
        try connection.execute("VACUUM (ANALYZE) accounts, transactions, budgets", timeoutSeconds: 1800)
        log("seed: done in \(SeedMath.oneDecimal(SeedMath.monotonicSeconds() - started)) s")
    }

    /// Current balances, drawn per account type (they are not derived from the generated
    /// history, which would pile two years of net flows onto one account): assets
    /// positive with the odd overdrawn checking account, liabilities negative, some cards
    /// and every paid-off one exactly zero.
    static func balances(_ profile: SeedProfile, seed: UInt64) -> [Int64] {
        var random = SeedRandom(seed: seed, stream: UInt64(profile.tenant.index) &* 4 &+ 3)
        return profile.accounts.map { account in
            let dollars: Double
            switch account.type {
            case .checking: dollars = random.chance(0.05) ? -random.logUniform(10, 300) : random.logUniform(200, 12000)
            case .savings: dollars = random.logUniform(1000, 60000)
            case .cash: dollars = random.logUniform(20, 600)
            case .investment: dollars = random.logUniform(5000, 250_000)
            case .creditCard: dollars = account.paidOff || random.chance(0.15) ? 0 : -random.logUniform(50, 5000)
            case .loan: dollars = -random.logUniform(3000, 80000)
            }
            return account.currency.cents(fromDollars: dollars * profile.scale)
        }
    }

    private static func date(_ day: Int) -> String {
        var buffer = SeedCopyBuffer(capacity: 10)
        buffer.date(day)
        return String(decoding: buffer.bytes, as: UTF8.self)
    }
}
