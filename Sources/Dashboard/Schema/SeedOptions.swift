/// What `findash seed` generates. The same options always produce the same rows.
public struct SeedOptions: Sendable, Equatable {
    /// Number of demo tenants (default 50). Named `user_0001`, `org_0001`, …; the second
    /// tenant is the organization `user_0001`, sharing its id with the first (a user), so
    /// tenant isolation by type can be seen in the demo data.
    public var tenants: Int
    /// Total number of transactions over all tenants (default 20,000), split Zipf-like:
    /// the first tenant is the largest (30 % with 50 tenants), most are small.
    public var transactions: Int
    /// The random seed (default 42).
    public var seed: UInt64
    /// "Today" as days since 1970-01-01 (UTC); default: the current UTC day. History spans
    /// the two years up to it, and budgets are tuned to their status on this day.
    public var today: Int

    public init(tenants: Int = 50, transactions: Int = 20_000, seed: UInt64 = 42, today: Int? = nil) {
        self.tenants = max(1, tenants)
        self.transactions = max(0, transactions)
        self.seed = seed
        self.today = today ?? SeedMath.currentUTCDay()
    }

    /// Days since 1970-01-01 for a calendar date, for `today`.
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        SeedCalendar.day(year: year, month: month, day: day)
    }
}
