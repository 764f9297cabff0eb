import PQ

/// Computes dashboard bodies from PostgreSQL: one statement, one snapshot, one round trip.
/// Runs on worker threads (it blocks in libpq).
public final class DashboardService: Sendable {
    private let pool: PQPool
    private let queryTimeout: Double

    /// - Parameter queryTimeout: client-side bound on one statement (`DB_STATEMENT_TIMEOUT` + 1 s).
    public init(pool: PQPool, queryTimeout: Double) {
        self.pool = pool
        self.queryTimeout = queryTimeout
    }

    public func compute(_ endpoint: DashboardEndpoint, tenant: Tenant, parameters p: DashboardParameters, generatedAt: String) throws(PQError) -> [UInt8] {
        // Constant SQL text (see DashboardSQL); every value travels as a bind parameter.
        let query = PQQuery(unsafeSQL: Self.statements[endpoint]!, params: [
            tenant.type, tenant.id, p.from.description, p.to.description, p.asOf.description,
            p.previousFrom.description, p.granularity.rawValue, String(p.top), p.includeInactive ? "true" : "false",
        ])
        let result = try pool.withConnection { (connection) throws(PQError) in
            try connection.query(query, timeoutSeconds: queryTimeout)
        }
        let renderer = DashboardRenderer(tenant: tenant, parameters: p, generatedAt: generatedAt)
        return renderer.body(endpoint, rows: DashboardRows(rows: result.rows))
    }

    private static let statements: [DashboardEndpoint: String] = Dictionary(
        uniqueKeysWithValues: DashboardEndpoint.allCases.map { ($0, DashboardSQL.statement($0.sections)) })
}
