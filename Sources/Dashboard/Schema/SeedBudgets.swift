/// A demo budget row.
struct SeedBudget {
    let id: SeedUUID
    let name: String
    let category: Int8
    let currency: SeedCurrency
    let cents: Int64
    let period: SeedPeriod
    /// `alert_threshold` in ten-thousandths (8000 = 0.8000).
    let threshold: Int64
    let startsOn: Int
    let endsOn: Int?
    let isActive: Bool
    /// Where the budget stands on the seed's "today" (nil when not listed then).
    let status: SeedBudgetStatus?
}

/// The three budget states of CONTRACT.md §4.
enum SeedBudgetStatus: CaseIterable {
    case onTrack, warning, overBudget

    /// Exactly the contract's rule, on integers: over when spent > limit, warning when
    /// spent ≥ threshold × limit, else on track.
    init(spent: Int64, limit: Int64, threshold: Int64) {
        if spent > limit {
            self = .overBudget
        } else if spent * 10_000 >= threshold * limit {
            self = .warning
        } else {
            self = .onTrack
        }
    }
}

/// Makes each tenant's budgets land in a chosen status on "today".
///
/// The limit is derived from what the tenant actually spent in the category during the
/// budget's current period (cut at `starts_on`), so every period kind appears in every
/// status across the data set (the largest tenant alone has all twelve combinations),
/// along with budgets that start or end mid-period, inactive, expired and future ones, one
/// in a second currency and one on a category nobody spends in.
enum SeedBudgets {
    private enum Shape { case plain, startsMidPeriod, endsMidPeriod, inactive, expired, future }

    static func generate(_ profile: SeedProfile, history: [SeedTransaction], seed: UInt64) -> [SeedBudget] {
        let tenant = profile.tenant
        var random = SeedRandom(seed: seed, stream: UInt64(tenant.index) &* 4 &+ 2)
        let catalog = SeedCatalog.standard
        let table = tenant.isOrganization ? catalog.businessSpending! : catalog.personalSpending!
        let spending = Spending(history, since: profile.today - 400)

        var combos: [(SeedPeriod, SeedBudgetStatus)] = []
        for period in SeedPeriod.allCases {
            for status in SeedBudgetStatus.allCases { combos.append((period, status)) }
        }
        let size = tenant.transactionCount
        let count = size < 60 ? 1 : size < 600 ? 3 : size < 3000 ? 6 : 12
        var intents: [(SeedPeriod, SeedBudgetStatus, Shape, SeedCurrency, Int8?)] = []
        for j in 0..<count {
            let (period, status) = combos[(tenant.index * 5 + j) % combos.count]
            let shape: Shape = (tenant.index + j) % 5 == 3 ? .startsMidPeriod : (tenant.index + j) % 5 == 4 ? .endsMidPeriod : .plain
            intents.append((period, status, shape, profile.primary, nil))
        }
        if count == 12 {
            for period in SeedPeriod.allCases {
                intents.append((period, .warning, .startsMidPeriod, profile.primary, nil))
                intents.append((period, .overBudget, .endsMidPeriod, profile.primary, nil))
            }
            intents.append((.monthly, .onTrack, .plain, profile.primary, catalog.unusedCategory))
        }
        if tenant.index % 3 == 0 || count == 12 {
            intents.append((.monthly, .onTrack, .inactive, profile.primary, nil))
            intents.append((.quarterly, .overBudget, .expired, profile.primary, nil))
        }
        if tenant.index % 4 == 1 || count == 12 {
            intents.append((.weekly, .onTrack, .future, profile.primary, nil))
        }
        if let secondary = profile.secondary, count >= 6 {
            intents.append((.monthly, .warning, .plain, secondary, nil))
        }

        return intents.map { period, wanted, shape, currency, fixedCategory in
            let today = profile.today
            let (periodStart, periodEnd) = SeedCalendar.period(period, containing: today)
            var startsOn = min(periodStart, today - random.between(30, 500))
            var endsOn: Int? = random.chance(0.2) ? periodEnd + random.between(30, 400) : nil
            var isActive = true
            switch shape {
            case .plain: break
            case .startsMidPeriod:
                if today > periodStart { startsOn = periodStart + random.between(1, today - periodStart) }
            case .endsMidPeriod:
                if periodEnd > today { endsOn = today + random.between(0, periodEnd - today - 1) }
            case .inactive:
                isActive = false
            case .expired:
                endsOn = today - random.between(1, 90)
                startsOn = endsOn! - random.between(30, 300)
            case .future:
                startsOn = today + random.between(1, 45)
            }
            let listed = isActive && startsOn <= today && (endsOn ?? today) >= today
            let from = max(periodStart, startsOn)

            // Category: for warning / over, one the tenant spent in during the window.
            var status = wanted
            var category = fixedCategory ?? table.entries[random.below(table.entries.count)].category
            if fixedCategory == nil && wanted != .onTrack {
                let candidates = table.entries.map(\.category).filter { spending.spent($0, currency, from: from, to: today) >= 200 }
                if candidates.isEmpty { status = .onTrack } else { category = candidates[random.below(candidates.count)] }
            }
            let spent = spending.spent(category, currency, from: from, to: today)
            let threshold: Int64 = [8000, 8000, 8000, 8000, 7500, 9000, 8500][random.below(7)]
            let limit = SeedBudgets.limit(for: status, spent: spent, threshold: threshold, currency: currency,
                                          scale: profile.scale, &random)
            let name = title(catalog.categoryNames[Int(category)]) + " (" + period.name + ")"
            return SeedBudget(id: random.uuid(), name: name, category: category, currency: currency, cents: limit,
                              period: period, threshold: threshold, startsOn: startsOn, endsOn: endsOn, isActive: isActive,
                              status: listed ? SeedBudgetStatus(spent: spent, limit: limit, threshold: threshold) : nil)
        }
    }

    /// A limit (> 0, in cents) that puts `spent` in `status`; round figures where possible.
    private static func limit(for status: SeedBudgetStatus, spent: Int64, threshold: Int64, currency: SeedCurrency,
                              scale: Double, _ random: inout SeedRandom) -> Int64 {
        switch status {
        case .onTrack:
            let floor = currency.cents(fromDollars: 50 * scale)
            let raw = max(Double(spent) * (1.6 + 1.4 * random.unit()), Double(floor))
            let step = currency.roundingStep
            return max(step, (Int64(raw) + step - 1) / step * step)
        case .overBudget:
            let exact = max(1, Int64(Double(spent) * (0.55 + 0.4 * random.unit())))
            let whole = exact / 100 * 100
            if whole > 0 && whole < spent { return whole }
            return exact < spent ? exact : max(1, spent - 1)
        case .warning:
            let fraction = Double(threshold) / 10_000 + 0.01
            let ratio = fraction + (0.99 - fraction) * random.unit()
            let whole = (Int64(Double(spent) / ratio) + 99) / 100 * 100
            if spent <= whole && spent * 10_000 >= threshold * whole { return whole }
            return spent  // 100 % used: still a warning, not over
        }
    }

    private static func title(_ name: [UInt8]) -> String {
        var bytes = name
        if let first = bytes.first, first >= 0x61, first <= 0x7A { bytes[0] = first - 0x20 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Expense sums by category and currency over day ranges, from a tenant's history.
    private struct Spending {
        /// (category, currency) → (day, cents) of expense rows since the cut-off day.
        private var rows: [Int: [(day: Int, cents: Int64)]] = [:]

        init(_ history: [SeedTransaction], since: Int) {
            for row in history where row.kind == .expense && row.category >= 0 && Int(row.day) >= since {
                rows[Int(row.category) * 8 + row.currency.rawValue, default: []].append((Int(row.day), row.cents))
            }
        }

        /// Minus the sum of expense amounts (refunds lower it), per CONTRACT.md §4.
        func spent(_ category: Int8, _ currency: SeedCurrency, from: Int, to: Int) -> Int64 {
            var sum: Int64 = 0
            for row in rows[Int(category) * 8 + currency.rawValue] ?? [] where row.day >= from && row.day <= to {
                sum += row.cents
            }
            return -sum
        }
    }
}
