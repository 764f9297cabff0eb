import HTTP1

/// Trend bucket size (`granularity`).
public enum Granularity: String, Sendable {
    case day, week, month
}

/// The validated query parameters of every dashboard endpoint, with defaults applied, so that
/// equal requests compare equal whatever their spelling (the cache key is built from this).
public struct DashboardParameters: Sendable, Equatable {
    public var from: CivilDate
    public var to: CivilDate
    public var asOf: CivilDate
    public var granularity: Granularity
    public var top: Int
    public var includeInactive: Bool

    /// The longest accepted range (`to − from + 1`), in days.
    public static let maxRangeDays = 1830

    /// Number of days in the range, both ends included.
    public var rangeDays: Int { from.days(to: to) + 1 }

    /// The same number of days, ending the day before `from`.
    public var previousFrom: CivilDate { from.adding(days: -rangeDays) }
    public var previousTo: CivilDate { from.adding(days: -1) }

    /// A parameter that failed validation: its name and why, for the 400 problem's detail.
    public struct Invalid: Error, Sendable, Equatable {
        public let parameter: String
        public let reason: String
    }

    /// The parameters of CONTRACT §4; every other name is ignored.
    public static let knownNames = ["from", "to", "as_of", "granularity", "top", "include_inactive"]

    /// Validates `rawQuery` against CONTRACT §4. Unknown parameters are ignored, even when their
    /// bytes are not valid percent-encoded UTF-8; the first value of a repeated parameter counts.
    public static func parse(rawQuery: Substring, today: CivilDate) -> Result<DashboardParameters, Invalid> {
        let pairs = QueryParameters.lossyItems(rawQuery)
        for name in knownNames {
            if let pair = pairs.first(where: { $0.name == name }), pair.value == nil {
                return .failure(Invalid(parameter: name, reason: "must be valid percent-encoded UTF-8"))
            }
        }
        func first(_ name: String) -> String? { pairs.first { $0.name == name }?.value ?? nil }
        func date(_ name: String) -> Result<CivilDate?, Invalid> {
            guard let text = first(name) else { return .success(nil) }
            guard let day = CivilDate(iso: Substring(text)) else {
                return .failure(Invalid(parameter: name, reason: "must be a real calendar day written YYYY-MM-DD"))
            }
            return .success(day)
        }

        let to: CivilDate
        switch date("to") {
        case .failure(let e): return .failure(e)
        case .success(let d): to = d ?? today
        }
        let from: CivilDate
        switch date("from") {
        case .failure(let e): return .failure(e)
        case .success(let d): from = d ?? to.startOfMonth
        }
        guard from <= to else { return .failure(Invalid(parameter: "from", reason: "must not be after 'to'")) }
        guard from.days(to: to) + 1 <= maxRangeDays else {
            return .failure(Invalid(parameter: "to", reason: "the range from 'from' to 'to' must not exceed \(maxRangeDays) days"))
        }
        // The previous period must be a printable day too (PostgreSQL has no year 0000).
        guard from.adding(days: -(from.days(to: to) + 1)) >= CivilDate(year: 1, month: 1, day: 1)! else {
            return .failure(Invalid(parameter: "from", reason: "the previous period of the same length would start before 0001-01-01"))
        }
        let asOf: CivilDate
        switch date("as_of") {
        case .failure(let e): return .failure(e)
        case .success(let d): asOf = d ?? to
        }

        let days = from.days(to: to) + 1
        var granularity: Granularity = days <= 31 ? .day : days <= 183 ? .week : .month
        if let text = first("granularity") {
            guard let g = Granularity(rawValue: text) else {
                return .failure(Invalid(parameter: "granularity", reason: "must be one of day, week, month"))
            }
            granularity = g
        }
        var top = 10
        if let text = first("top") {
            guard text.utf8.count <= 3, text.utf8.allSatisfy({ (48...57).contains($0) }), let n = Int(text), (1...100).contains(n) else {
                return .failure(Invalid(parameter: "top", reason: "must be an integer from 1 to 100"))
            }
            top = n
        }
        var includeInactive = false
        if let text = first("include_inactive") {
            switch text {
            case "true": includeInactive = true
            case "false": includeInactive = false
            default: return .failure(Invalid(parameter: "include_inactive", reason: "must be true or false"))
            }
        }
        return .success(DashboardParameters(from: from, to: to, asOf: asOf, granularity: granularity, top: top, includeInactive: includeInactive))
    }
}
