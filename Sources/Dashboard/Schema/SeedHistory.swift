/// One generated transaction, small and index-based so a large tenant's history fits in
/// memory compactly (the COPY writer turns indices into bytes).
struct SeedTransaction {
    var id: SeedUUID
    var account: Int16
    var currency: SeedCurrency
    var kind: SeedKind
    /// Index into `SeedCatalog.categoryNames`, -1 for NULL.
    var category: Int8
    /// Index into `SeedCatalog.descriptions`.
    var description: Int16
    var day: Int32
    var second: Int32
    var cents: Int64
}

/// Generates a tenant's two years of transactions.
///
/// Per transaction: a uniformly random day, then income (7 %), a transfer pair (10 %:
/// savings, card and loan payments, investing — two rows, same day, opposite signs,
/// same currency) or an expense. Expenses pick a category by weight (6 % have none), an
/// account by spending weight (checking, cards, cash; an inactive account only inside its
/// old activity window), a log-uniform amount; 2.5 % are refunds (positive expense amounts)
/// and 1.5 % of card expenses are in a foreign currency. Income is sized so that the
/// tenant's income is `incomeRatio` times its expenses on average.
enum SeedHistory {
    static func generate(_ profile: SeedProfile, seed: UInt64) -> [SeedTransaction] {
        let catalog = SeedCatalog.standard
        let tenant = profile.tenant
        var random = SeedRandom(seed: seed, stream: UInt64(tenant.index) &* 4 &+ 1)
        let table = tenant.isOrganization ? catalog.businessSpending! : catalog.personalSpending!
        // Mean expense of the table in dollars (log-uniform mean = (b-a)/ln(b/a)), to size income.
        var weightedMean = 0.0
        for entry in table.entries {
            let mean = (entry.maximum - entry.minimum) / (SeedMath.log2(entry.maximum / entry.minimum) * 0.693_147_18)
            weightedMean += mean * Double(entry.weight) / Double(table.totalWeight)
        }
        let incomeMean = weightedMean * profile.scale * profile.incomeRatio * 0.83 / 0.07

        let spenders = profile.accounts.indices.filter { profile.accounts[$0].spendingWeight > 0 }
        var transactions: [SeedTransaction] = []
        transactions.reserveCapacity(tenant.transactionCount)
        let span = profile.today - profile.firstDay + 1

        while transactions.count < tenant.transactionCount {
            let day = profile.firstDay + random.below(span)
            let roll = random.unit()
            if roll < 0.07, income(profile, day: day, mean: incomeMean, &random, into: &transactions) { continue }
            if roll >= 0.07, roll < 0.17, transactions.count + 2 <= tenant.transactionCount,
               transfer(profile, day: day, &random, into: &transactions) { continue }
            expense(profile, table: table, spenders: spenders, day: day, &random, into: &transactions)
        }
        // In booking order: the COPY then appends to every index instead of inserting at
        // random places, and the table is laid out by date, the order the dashboard reads it
        // in. Ids are version 7, time-ordered from (day, second), so sorting by id is sorting
        // by time, and total (deterministic).
        transactions.sort { $0.id.high != $1.id.high ? $0.id.high < $1.id.high : $0.id.low < $1.id.low }
        return transactions
    }

    private static func row(_ random: inout SeedRandom, account: Int, currency: SeedCurrency, kind: SeedKind,
                            category: Int8, description: Int16, day: Int, cents: Int64) -> SeedTransaction {
        let second = random.below(86_400)
        let milliseconds = (Int64(day) * 86_400 + Int64(second)) * 1000 + Int64(random.below(1000))
        return SeedTransaction(id: random.uuid(unixMilliseconds: milliseconds), account: Int16(account), currency: currency,
                               kind: kind, category: category, description: description, day: Int32(day),
                               second: Int32(second), cents: cents)
    }

    private static func expense(_ profile: SeedProfile, table: SeedSpendingTable, spenders: [Int], day: Int,
                                _ random: inout SeedRandom, into transactions: inout [SeedTransaction]) {
        // Account: weighted among spending accounts open on that day.
        var total = 0
        for index in spenders where profile.accounts[index].firstDay <= day && day <= profile.accounts[index].lastDay {
            total += profile.accounts[index].spendingWeight
        }
        var account = spenders[0]
        if total > 0 {
            var pick = random.below(total)
            for index in spenders where profile.accounts[index].firstDay <= day && day <= profile.accounts[index].lastDay {
                let weight = profile.accounts[index].spendingWeight
                if pick < weight { account = index; break }
                pick -= weight
            }
        }
        let entry = table.entries[random.weighted(table.weights, total: table.totalWeight)]
        var currency = profile.accounts[account].currency
        if profile.accounts[account].type == .creditCard && random.chance(0.015) {
            // Bought abroad: the row is in the foreign currency, the card's is not.
            currency = SeedCurrency(rawValue: (currency.rawValue + 1 + random.below(3)) % 4)!
        }
        let dollars = random.logUniform(entry.minimum, entry.maximum) * profile.scale
        var cents = -max(1, currency.cents(fromDollars: dollars))
        if random.chance(0.025) {
            // A refund: a positive expense amount (whole yen stay whole).
            let unit: Int64 = currency == .jpy ? 100 : 1
            cents = max(unit, -cents / 2 / unit * unit)
        }
        let category: Int8 = random.chance(0.06) ? -1 : entry.category
        let description = entry.merchants[random.below(entry.merchants.count)]
        transactions.append(row(&random, account: account, currency: currency, kind: .expense, category: category,
                                description: description, day: day, cents: cents))
    }

    private static func income(_ profile: SeedProfile, day: Int, mean: Double, _ random: inout SeedRandom,
                               into transactions: inout [SeedTransaction]) -> Bool {
        let catalog = SeedCatalog.standard
        var kind = profile.tenant.isOrganization ? (random.chance(0.7) ? catalog.sales : catalog.services) : catalog.salary
        var type = SeedAccountType.checking
        var dollars = mean * (0.6 + 0.8 * random.unit())
        var currency = profile.primary
        let roll = random.unit()
        if roll < 0.06 {
            kind = catalog.interest
            type = .savings
            dollars = random.logUniform(1, 120) * profile.scale
        } else if roll < 0.10 {
            kind = catalog.dividends
            type = .investment
            dollars = random.logUniform(20, 900) * profile.scale
        } else if roll < 0.22, let secondary = profile.secondary {
            currency = secondary
            dollars *= 0.3
        }
        guard let account = profile.account(type, currency: currency, on: day) else { return false }
        let category: Int8 = random.chance(0.04) ? -1 : kind.category
        let description = kind.descriptions[random.below(kind.descriptions.count)]
        transactions.append(row(&random, account: account, currency: currency, kind: .income, category: category,
                                description: description, day: day, cents: max(1, currency.cents(fromDollars: dollars))))
        return true
    }

    /// Transfer purposes with their destination account type and dollar range.
    private static let transferKinds: [(SeedTransferPurpose, SeedAccountType, Double, Double)] = [
        (.savings, .savings, 50, 2000), (.cardPayment, .creditCard, 100, 3000),
        (.loanPayment, .loan, 200, 1500), (.investing, .investment, 100, 4000),
    ]
    private static let transferWeights = [45, 35, 12, 8]

    private static func transfer(_ profile: SeedProfile, day: Int, _ random: inout SeedRandom,
                                 into transactions: inout [SeedTransaction]) -> Bool {
        let (purpose, type, low, high) = transferKinds[random.weighted(transferWeights, total: 100)]
        let currency = profile.primary
        guard let from = profile.account(.checking, currency: currency, on: day),
              let to = profile.account(type, currency: currency, on: day) else { return false }
        let cents = max(1, currency.cents(fromDollars: random.logUniform(low, high) * profile.scale))
        let category: Int8 = random.chance(0.15) ? SeedCatalog.standard.transferCategory : -1
        let texts = SeedCatalog.standard.transferDescriptions[purpose]!
        transactions.append(row(&random, account: from, currency: currency, kind: .transfer, category: category,
                                description: texts.out, day: day, cents: -cents))
        transactions.append(row(&random, account: to, currency: currency, kind: .transfer, category: category,
                                description: texts.in, day: day, cents: cents))
        return true
    }
}
