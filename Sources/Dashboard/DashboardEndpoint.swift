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

    /// The parameters the answer depends on, in canonical form: requests that differ only in
    /// parameters an endpoint ignores (or in spelling defaults out) share one cache entry.
    func cacheParameters(_ p: DashboardParameters) -> String {
        switch self {
        case .full: "\(p.from)_\(p.to)_\(p.asOf)_\(p.granularity.rawValue)_\(p.top)_\(p.includeInactive ? 1 : 0)"
        case .summary: "\(p.from)_\(p.to)_\(p.asOf)"
        case .accounts: "\(p.from)_\(p.to)_\(p.includeInactive ? 1 : 0)"
        case .transactions: "\(p.from)_\(p.to)_\(p.granularity.rawValue)_\(p.top)"
        case .budgets: "\(p.asOf)"
        }
    }
}
