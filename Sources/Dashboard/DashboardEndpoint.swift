/// The five dashboard resources and what each reads.
public enum DashboardEndpoint: String, Sendable, CaseIterable {
    case full = "dashboard"
    case summary
    case accounts
    case transactions
    case budgets

    public var path: String { self == .full ? "/financial/dashboard" : "/financial/dashboard/" + rawValue }

    public init?(path: String) {
        switch path {
        case "/financial/dashboard": self = .full
        case "/financial/dashboard/summary": self = .summary
        case "/financial/dashboard/accounts": self = .accounts
        case "/financial/dashboard/transactions": self = .transactions
        case "/financial/dashboard/budgets": self = .budgets
        default: return nil
        }
    }

    var sections: [DashboardSQL.Section] {
        switch self {
        case .full: DashboardSQL.Section.allCases
        case .summary: [.summaryCurrencies, .budgets]
        case .accounts: [.accounts]
        case .transactions: [.transactionCurrencies, .largestExpenses, .categories, .trend]
        case .budgets: [.budgets]
        }
    }

    /// The cache key of an answer: generation prefix, tenant, endpoint and the parameters the
    /// endpoint depends on (the others zeroed), so requests that differ only in ignored or
    /// defaulted parameters share one entry. Hashable for the in-process cache without building
    /// text; `text` is the memcached key.
    func cacheKey(prefix: String, tenant: Tenant, parameters p: DashboardParameters) -> ResponseKey {
        let none = -1
        switch self {
        case .full:
            return ResponseKey(prefix: prefix, tenant: tenant, endpoint: self, from: p.from.daysSinceEpoch, to: p.to.daysSinceEpoch,
                               asOf: p.asOf.daysSinceEpoch, granularity: p.granularity, top: p.top, includeInactive: p.includeInactive)
        case .summary:
            return ResponseKey(prefix: prefix, tenant: tenant, endpoint: self, from: p.from.daysSinceEpoch, to: p.to.daysSinceEpoch,
                               asOf: p.asOf.daysSinceEpoch, granularity: nil, top: none, includeInactive: nil)
        case .accounts:
            return ResponseKey(prefix: prefix, tenant: tenant, endpoint: self, from: p.from.daysSinceEpoch, to: p.to.daysSinceEpoch,
                               asOf: none, granularity: nil, top: none, includeInactive: p.includeInactive)
        case .transactions:
            return ResponseKey(prefix: prefix, tenant: tenant, endpoint: self, from: p.from.daysSinceEpoch, to: p.to.daysSinceEpoch,
                               asOf: none, granularity: p.granularity, top: p.top, includeInactive: nil)
        case .budgets:
            return ResponseKey(prefix: prefix, tenant: tenant, endpoint: self, from: none, to: none,
                               asOf: p.asOf.daysSinceEpoch, granularity: nil, top: none, includeInactive: nil)
        }
    }
}

/// See `DashboardEndpoint.cacheKey`.
struct ResponseKey: Hashable, Sendable {
    let prefix: String
    let tenant: Tenant
    let endpoint: DashboardEndpoint
    let from: Int
    let to: Int
    let asOf: Int
    let granularity: Granularity?
    let top: Int
    let includeInactive: Bool?

    /// The memcached key: `fd:<generation>:<tenant>:<endpoint>:<parameters>`, at most ~150
    /// bytes of `[A-Za-z0-9_.:-]` (tenant ids cannot contain ':' or spaces).
    var text: String {
        var parts = "fd:" + prefix + ":" + tenant.key + ":" + endpoint.rawValue + ":"
        func day(_ d: Int) -> String { d < 0 ? "_" : CivilDate(daysSinceEpoch: d).description }
        parts += day(from) + "_" + day(to) + "_" + day(asOf)
        parts += "_" + (granularity?.rawValue ?? "_") + "_" + (top < 0 ? "_" : String(top))
        parts += "_" + (includeInactive.map { $0 ? "1" : "0" } ?? "_")
        return parts
    }
}
