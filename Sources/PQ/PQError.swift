/// Everything that can go wrong talking to PostgreSQL, reduced to what a caller can act on.
///
/// The cases are redacted by construction: none carries SQL text, parameter values, host
/// names or credentials (libpq's `PQerrorMessage` can name hosts, so it is never copied).
/// A server-reported error keeps only its SQLSTATE, which is safe to log and to map to HTTP.
public enum PQError: Error, Sendable, Equatable {
    /// The connection could not be made, or was lost. Retrying later may succeed.
    case unavailable
    /// A client-side deadline passed. The connection involved has been dropped, so a
    /// stopped or hung server never holds the caller past the deadline.
    case timeout
    /// No pooled connection became free within the pool's acquire timeout.
    case poolTimeout
    /// The server rejected the statement; `sqlState` is the five-character SQLSTATE
    /// (for example `42P01`), or an empty string when the server sent none.
    case queryFailed(sqlState: String)

    /// A fixed, log-safe description: never SQL, parameters, hosts or passwords.
    public var logDescription: String {
        switch self {
        case .unavailable: return "database unavailable"
        case .timeout: return "database operation timed out"
        case .poolTimeout: return "no database connection free in time"
        case .queryFailed(let sqlState):
            return sqlState.isEmpty ? "database statement failed" : "database statement failed (SQLSTATE \(sqlState))"
        }
    }

    /// True for errors a caller may reasonably answer with "try again later" (HTTP 503):
    /// the database is unreachable, slow, or every connection is busy.
    public var isTransient: Bool {
        switch self {
        case .unavailable, .timeout, .poolTimeout: return true
        case .queryFailed(let sqlState):
            // Class 08 = connection exception, 57P0x = server shutting down / crash recovery,
            // 40001/40P01 = serialization failure / deadlock: all worth a retry.
            return sqlState.hasPrefix("08") || sqlState.hasPrefix("57P") || sqlState == "40001" || sqlState == "40P01"
        }
    }
}

extension PQError: CustomStringConvertible {
    /// Same as `logDescription`, so string interpolation of an error stays redacted.
    public var description: String { logDescription }
}
