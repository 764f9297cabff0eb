/// A parameterised SQL statement, built so that values can only travel as bind parameters.
///
/// String interpolation appends `$1`, `$2`, … to the SQL and the value to `params` (text
/// format), in the manner of postgres-nio's `PostgresQuery`:
///
/// ```swift
/// let q: PQQuery = "SELECT name FROM accounts WHERE tenant_type = \(type) AND tenant_id = \(id)"
/// // q.sql == "SELECT name FROM accounts WHERE tenant_type = $1 AND tenant_id = $2"
/// ```
///
/// Literal segments are appended as written. The only way to build SQL from a runtime
/// string is the explicitly named `init(unsafeSQL:params:)`.
public struct PQQuery: Sendable, Hashable, ExpressibleByStringInterpolation {
    /// The SQL text with `$n` placeholders.
    public var sql: String
    /// Parameter values in text format; `nil` binds SQL NULL.
    public var params: [String?]

    /// Builds a query from SQL the caller vouches for. Use only with constant or
    /// server-generated SQL; never with text that came from a request.
    public init(unsafeSQL: String, params: [String?] = []) {
        self.sql = unsafeSQL
        self.params = params
    }

    /// A literal without interpolations is compile-time constant SQL, hence safe.
    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, params: stringInterpolation.params)
    }

    /// Collects literal SQL and bound values while a `PQQuery` literal is evaluated.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var sql: String
        var params: [String?]

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + 3 * interpolationCount)
            params = []
            params.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Binds a text value.
        public mutating func appendInterpolation(_ value: String) {
            bind(value)
        }

        /// Binds a text value, or SQL NULL for `nil`.
        public mutating func appendInterpolation(_ value: String?) {
            bind(value)
        }

        /// Binds an integer as its decimal text.
        public mutating func appendInterpolation(_ value: Int) {
            bind(String(value))
        }

        /// Binds a 64-bit integer as its decimal text.
        public mutating func appendInterpolation(_ value: Int64) {
            bind(String(value))
        }

        /// Binds a boolean as `true` / `false`.
        public mutating func appendInterpolation(_ value: Bool) {
            bind(value ? "true" : "false")
        }

        private mutating func bind(_ value: String?) {
            params.append(value)
            sql += "$"
            sql += String(params.count)
        }
    }
}
