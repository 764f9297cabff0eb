/// Formats the seeder's rows as COPY text, in the column order of the `COPY` statements
/// in `Seeder`.
enum SeedRows {
    static let accountColumns = "id, tenant_type, tenant_id, name, type, currency, balance, is_active, created_at, updated_at"
    static let transactionColumns = "id, tenant_type, tenant_id, account_id, amount, currency, kind, category, description, booked_on, created_at"
    static let budgetColumns = "id, tenant_type, tenant_id, name, category, currency, amount, period, alert_threshold, starts_on, ends_on, is_active, created_at, updated_at"

    private static let currencyCodes = SeedCurrency.allCases.map(\.code)
    private static let kindNames: [[UInt8]] = [SeedKind.income.name, SeedKind.expense.name, SeedKind.transfer.name]
    private static let yes: [UInt8] = Array("t".utf8)
    private static let no: [UInt8] = Array("f".utf8)

    /// The tenant columns, pre-encoded once per tenant.
    static func tenantPrefix(_ tenant: SeedTenant) -> [UInt8] {
        Array((tenant.typeName + "\t" + tenant.id + "\t").utf8)
    }

    static func account(_ account: SeedAccount, balance: Int64, tenant: [UInt8], today: Int, into out: inout SeedCopyBuffer) {
        out.uuid(account.id)
        out.tab()
        out.text(tenant)
        out.text(account.name)
        out.tab()
        out.text(account.type.name)
        out.tab()
        out.text(account.currency.code)
        out.tab()
        out.money(balance)
        out.tab()
        out.text(account.isActive ? yes : no)
        out.tab()
        out.timestamp(day: account.firstDay, second: 9 * 3600)
        out.tab()
        out.timestamp(day: account.isActive ? today : account.lastDay, second: 6 * 3600)
        out.newline()
    }

    /// One transaction row; `accountIDs` are the tenant's accounts, pre-encoded.
    static func transaction(_ row: SeedTransaction, tenant: [UInt8], accountIDs: [[UInt8]], into out: inout SeedCopyBuffer) {
        let catalog = SeedCatalog.standard
        out.uuid(row.id)
        out.tab()
        out.text(tenant)
        out.text(accountIDs[Int(row.account)])
        out.tab()
        out.money(row.cents)
        out.tab()
        out.text(currencyCodes[row.currency.rawValue])
        out.tab()
        out.text(kindNames[Int(row.kind.rawValue)])
        out.tab()
        if row.category < 0 { out.null() } else { out.text(catalog.categoryNames[Int(row.category)]) }
        out.tab()
        if row.kind == .expense && row.cents > 0 { out.text(SeedCatalog.refundPrefix) }
        out.text(catalog.descriptions[Int(row.description)])
        out.tab()
        out.date(Int(row.day))
        out.tab()
        out.timestamp(day: Int(row.day), second: Int(row.second))
        out.newline()
    }

    static func budget(_ budget: SeedBudget, tenant: [UInt8], today: Int, into out: inout SeedCopyBuffer) {
        out.uuid(budget.id)
        out.tab()
        out.text(tenant)
        out.text(budget.name)
        out.tab()
        out.text(SeedCatalog.standard.categoryNames[Int(budget.category)])
        out.tab()
        out.text(budget.currency.code)
        out.tab()
        out.money(budget.cents)
        out.tab()
        out.text(budget.period.name)
        out.tab()
        out.integer(budget.threshold / 10_000)
        out.text(".")
        out.digits(Int(budget.threshold % 10_000), width: 4)
        out.tab()
        out.date(budget.startsOn)
        out.tab()
        if let endsOn = budget.endsOn { out.date(endsOn) } else { out.null() }
        out.tab()
        out.text(budget.isActive ? yes : no)
        out.tab()
        out.timestamp(day: min(budget.startsOn, today), second: 10 * 3600)
        out.tab()
        out.timestamp(day: today, second: 6 * 3600)
        out.newline()
    }
}

/// The transactions COPY stream: regenerates each tenant's history (pass two) and yields
/// it as COPY text in chunks of about 1 MiB, so generation overlaps with the server's work
/// and memory stays bounded by one tenant's history.
struct SeedTransactionChunks: Sequence, IteratorProtocol {
    let profiles: [SeedProfile]
    let seed: UInt64
    private var tenant = 0
    private var history: [SeedTransaction] = []
    private var position = 0
    private var prefix: [UInt8] = []
    private var accountIDs: [[UInt8]] = []
    /// Rows yielded so far (for the progress log).
    private(set) var rows = 0

    static let chunkBytes = 1 << 20

    init(profiles: [SeedProfile], seed: UInt64) {
        self.profiles = profiles
        self.seed = seed
    }

    mutating func next() -> [UInt8]? {
        var out = SeedCopyBuffer(capacity: SeedTransactionChunks.chunkBytes + 4096)
        while out.bytes.count < SeedTransactionChunks.chunkBytes {
            if position == history.count {
                guard tenant < profiles.count else { break }
                let profile = profiles[tenant]
                history = SeedHistory.generate(profile, seed: seed)
                position = 0
                prefix = SeedRows.tenantPrefix(profile.tenant)
                accountIDs = profile.accounts.map { account in
                    var id = SeedCopyBuffer(capacity: 36)
                    id.uuid(account.id)
                    return id.bytes
                }
                tenant += 1
                continue
            }
            SeedRows.transaction(history[position], tenant: prefix, accountIDs: accountIDs, into: &out)
            position += 1
            rows += 1
        }
        return out.bytes.isEmpty ? nil : out.bytes
    }
}
