import Basics
import PQ

/// Computes dashboard bodies from PostgreSQL: one statement, one snapshot, one round trip.
/// Runs on worker threads (it blocks in libpq).
public final class DashboardService: Sendable {
    private let pool: PQPool
    private let queryTimeout: Double

    /// - Parameter queryTimeout: the whole budget of one request's database work, from its
    ///   arrival: waiting for a worker, for a connection, connecting and the statement
    ///   (`DB_STATEMENT_TIMEOUT` + 1 s).
    public init(pool: PQPool, queryTimeout: Double) {
        self.pool = pool
        self.queryTimeout = queryTimeout
    }

    /// Nanoseconds of budget for a request that arrived at `arrival`: its deadline.
    public func deadline(arrival: Int64) -> Int64 { arrival + Int64(queryTimeout * 1e9) }

    /// - Parameter deadline: monotonic nanoseconds by which the answer (or `.timeout`) is due.
    /// - Parameter timing: receives the nanoseconds spent in the database and in encoding.
    public func compute(_ endpoint: DashboardEndpoint, tenant: Tenant, parameters p: DashboardParameters, generatedAt: String,
                        deadline: Int64, timing: inout (db: Int64, encode: Int64)) throws(PQError) -> [UInt8] {
        let start = MonotonicClock.now()
        func remaining() -> Double { Double(deadline - MonotonicClock.now()) / 1e9 }
        // Queued too long behind other work: answer now rather than late ("busy", not
        // "database down": the database may be fine).
        guard remaining() > 0.05 else { throw .poolTimeout }
        // Constant SQL text (see DashboardSQL); every value travels as a bind parameter.
        let query = PQQuery(unsafeSQL: Self.statements[endpoint]!, params: [
            tenant.type, tenant.id, p.from.description, p.to.description, p.asOf.description,
            p.previousFrom.description, p.granularity.rawValue, String(p.top), p.includeInactive ? "true" : "false",
        ])
        let result: PQRows
        do {
            result = try run(query, tenant: tenant, remaining: remaining)
        } catch .unavailable where remaining() > 0.5 {
            // The connection died under us (a database restart ends every pooled session):
            // once more, on a fresh one. Safe: the statement only reads.
            result = try run(query, tenant: tenant, remaining: remaining)
        }
        let queried = MonotonicClock.now()
        let renderer = DashboardRenderer(tenant: tenant, parameters: p, generatedAt: generatedAt)
        let body = renderer.body(endpoint, rows: DashboardRows(rows: result.rows))
        timing = (queried - start, MonotonicClock.now() - queried)
        return body
    }

    private func run(_ query: PQQuery, tenant: Tenant, remaining: () -> Double) throws(PQError) -> PQRows {
        try pool.withConnection(timeoutSeconds: remaining()) { (connection) throws(PQError) in
            guard remaining() > 0.05 else { throw PQError.timeout }
            // The row-level-security context: every pooled session names its tenant before
            // each statement, so a statement can never see another tenant's rows.
            _ = try connection.query(
                "SELECT set_config('findash.tenant_type', \(tenant.type), false), set_config('findash.tenant_id', \(tenant.id), false)",
                timeoutSeconds: remaining())
            let left = remaining()
            guard left > 0.05 else { throw PQError.timeout }
            return try connection.query(query, timeoutSeconds: left)
        }
    }

    private static let statements: [DashboardEndpoint: String] = Dictionary(
        uniqueKeysWithValues: DashboardEndpoint.allCases.map { ($0, DashboardSQL.statement($0.sections)) })
}
