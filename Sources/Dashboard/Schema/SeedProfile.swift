/// A demo account: who owns it, what it is, and when it saw activity.
struct SeedAccount {
    let id: SeedUUID
    let name: String
    let type: SeedAccountType
    let currency: SeedCurrency
    let isActive: Bool
    /// Transactions fall in `firstDay...lastDay` (an inactive account stopped long ago).
    let firstDay: Int
    let lastDay: Int
    /// Share of spending that goes through this account (0 for non-spending accounts).
    let spendingWeight: Int
    /// A paid-off liability: its final balance is forced to exactly zero.
    let paidOff: Bool
}

/// Everything about a tenant that its transactions and budgets are generated from.
///
/// Built from the tenant's own random stream, so pass one (balances, budgets) and pass two
/// (the COPY of transactions) see the same accounts and regenerate the same history.
struct SeedProfile {
    let tenant: SeedTenant
    let accounts: [SeedAccount]
    let primary: SeedCurrency
    let secondary: SeedCurrency?
    /// Multiplies every amount: organisations and some people move more money.
    let scale: Double
    /// Income relative to expenses: below 1 the tenant spends more than it earns.
    let incomeRatio: Double
    let firstDay: Int
    let today: Int

    /// The history covers two years: 730 days up to and including today.
    static let historyDays = 730

    init(tenant: SeedTenant, options: SeedOptions) {
        var random = SeedRandom(seed: options.seed, stream: UInt64(tenant.index) &* 4)
        self.tenant = tenant
        today = options.today
        firstDay = today - SeedProfile.historyDays + 1
        let first: SeedCurrency = tenant.index == 0 ? .usd : SeedCurrency(rawValue: random.weighted([50, 25, 15, 10], total: 100))!
        primary = first
        let size = tenant.transactionCount
        var others = SeedCurrency.allCases.filter { $0 != first }
        let second = others.remove(at: random.below(others.count))
        secondary = size >= 1500 || tenant.index % 5 == 4 ? second : nil
        scale = (tenant.isOrganization ? 3 : 1) * (0.6 + random.unit())
        incomeRatio = 0.85 + 0.5 * random.unit()

        accounts = SeedProfile.makeAccounts(tenant: tenant, primary: primary, secondary: secondary, scale: scale,
                                            firstDay: firstDay, today: today, &random)
    }

    /// The tenant's accounts: more kinds the more it transacts (every tenant has checking
    /// and a card; larger ones savings, cash, investment, a loan, a second-currency
    /// account, a paid-off card, a closed account).
    private static func makeAccounts(tenant: SeedTenant, primary: SeedCurrency, secondary: SeedCurrency?, scale: Double,
                                     firstDay: Int, today: Int, _ random: inout SeedRandom) -> [SeedAccount] {
        let size = tenant.transactionCount
        let long = firstDay - random.between(30, 2000)
        let org = tenant.isOrganization
        var accounts: [SeedAccount] = []
        func add(_ name: String, _ type: SeedAccountType, _ currency: SeedCurrency, active: Bool = true,
                 from: Int, to: Int, spending: Int = 0, paidOff: Bool = false) {
            accounts.append(SeedAccount(id: random.uuid(), name: name, type: type, currency: currency, isActive: active,
                                        firstDay: from, lastDay: to, spendingWeight: spending, paidOff: paidOff))
        }
        add(org ? "Operating account" : "Main checking", .checking, primary, from: long, to: today, spending: 55)
        add(org ? "Corporate card" : "Rewards credit card", .creditCard, primary, from: long, to: today, spending: 40)
        if size >= 40 || random.chance(0.5) {
            add(org ? "Reserve account" : "Savings", .savings, primary, from: long, to: today)
        }
        if size >= 200 {
            add(org ? "Petty cash" : "Wallet", .cash, primary, from: long, to: today, spending: 5)
        }
        if size >= 800 {
            add(org ? "Treasury portfolio" : "Brokerage", .investment, primary, from: firstDay + random.between(0, 300), to: today)
            add(org ? "Equipment loan" : "Car loan", .loan, primary, from: long, to: today)
        }
        if let secondary {
            add(org ? "Foreign operations account" : "Travel account", .checking, secondary, from: today - random.between(200, 500), to: today,
                spending: 12)
        }
        if size >= 3000 {
            add(org ? "Backup card" : "Store card", .creditCard, primary, from: long, to: today, spending: 4, paidOff: true)
        }
        if size >= 1500 || tenant.index % 4 == 3 {
            // Closed a year or more ago: its history still counts in period figures (CONTRACT §4).
            add(org ? "Old operating account" : "Old checking", .checking, primary, active: false, from: long,
                to: today - random.between(300, 500), spending: 30)
        }
        return accounts
    }

    /// Index of the first active account of `type` in `currency` usable on `day`, if any.
    func account(_ type: SeedAccountType, currency: SeedCurrency, on day: Int) -> Int? {
        accounts.firstIndex { $0.type == type && $0.currency == currency && $0.isActive && $0.firstDay <= day && day <= $0.lastDay }
    }
}
