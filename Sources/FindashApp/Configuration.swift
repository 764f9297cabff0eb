import Dashboard
import Glibc
import HTTP1
import Reactor
import Telemetry

/// A bad setting: the server refuses to start with a one-line message naming the variable.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let variable: String
    public let problem: String
    public var description: String { "invalid configuration: \(variable) \(problem)" }
}

/// Everything `findash serve` reads from the environment (CONTRACT §6 and issue 2).
public struct Configuration: Sendable {
    public enum Environment: String, Sendable, CaseIterable {
        case development, testing, staging, production

        /// The deployment design's cache TTL per environment, in seconds.
        var defaultCacheTTL: Int {
            switch self {
            case .development: 60
            case .testing: 300
            case .staging: 600
            case .production: 1800
            }
        }
    }

    public enum JWTKeySource: Sendable {
        case secret(String)
        case publicKeyFile(String)
    }

    public var environment: Environment = .development
    public var server = HTTPServerConfiguration()
    public var databaseURL = ""
    public var memcachedServers: [(host: String, port: Int)] = []
    /// `MEMCACHED_TIMEOUT_MS`: bound of every memcached connect, send and receive, default 50.
    public var memcachedTimeoutMilliseconds = 50
    public var dashboard = DashboardSettings()
    public var jwtKey: JWTKeySource?
    public var jwtIssuer: String?
    public var jwtAudience: String?
    public var logLevel: LogLevel = .info
    /// `BLOCKING_THREADS`: worker threads for database and memcached work, default 16.
    public var blockingThreads = 16
    /// `DB_POOL_SIZE`: pooled PostgreSQL connections, default 10.
    public var databasePoolSize = 10
    /// `DB_STATEMENT_TIMEOUT`: seconds one dashboard statement may run, default 5.
    public var statementTimeout = 5.0
    /// `METRICS_PORT`: when set, `/metrics` is served there (to anyone who can reach it) and no
    /// longer on the main port.
    public var metricsPort: Int?
    /// `DB_READER_ROLE`: the role dashboard queries run as (row-level security), default
    /// `findash_reader` (created by `findash migrate`); `none` keeps the login role.
    public var readerRole: String? = "findash_reader"
    /// `RATE_LIMIT_RPS`: per-tenant sustained requests per second; unset: no limiting.
    public var rateLimitRPS: Double?
    /// `RATE_LIMIT_BURST`: per-tenant bucket size, default max(1, 2 × RATE_LIMIT_RPS).
    public var rateLimitBurst = 1

    /// The development fallback secret, used only when `ENVIRONMENT=development` and none is set.
    static let developmentSecret = "findash-development-secret"

    public static func fromEnvironment(_ env: [String: String]) throws(ConfigurationError) -> Configuration {
        var c = Configuration()
        func value(_ name: String) -> String? {
            guard let v = env[name], !v.isEmpty else { return nil }
            return v
        }
        if let v = value("ENVIRONMENT") {
            guard let e = Environment(rawValue: v) else {
                throw ConfigurationError(variable: "ENVIRONMENT", problem: "must be one of development, testing, staging, production")
            }
            c.environment = e
        }
        c.server.host = value("HOST") ?? "0.0.0.0"
        c.server.port = try integer(env, "PORT", default: 8000, in: 1...65_535)
        c.server.eventLoops = try integer(env, "WORKERS", default: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), in: 1...256)
        c.server.headTimeout = try seconds(env, "HTTP_HEAD_TIMEOUT", default: 10)
        c.server.idleTimeout = try seconds(env, "HTTP_IDLE_TIMEOUT", default: 60)
        c.server.writeTimeout = try seconds(env, "HTTP_WRITE_TIMEOUT", default: 30)
        c.server.drainTimeout = try seconds(env, "DRAIN_TIMEOUT", default: 20)
        c.server.maxConnections = try integer(env, "MAX_CONNECTIONS", default: 10_000, in: 1...1_000_000)
        c.blockingThreads = try integer(env, "BLOCKING_THREADS", default: 16, in: 1...1024)
        c.databasePoolSize = try integer(env, "DB_POOL_SIZE", default: 10, in: 1...1000)
        c.statementTimeout = try seconds(env, "DB_STATEMENT_TIMEOUT", default: 5)

        guard let url = value("DATABASE_URL") else {
            throw ConfigurationError(variable: "DATABASE_URL", problem: "is required (a libpq connection string or URI)")
        }
        c.databaseURL = url
        if let servers = value("MEMCACHED_SERVERS") {
            for item in servers.split(separator: ",") {
                let parts = item.trimmingSpaces.split(separator: ":")
                guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (1...65_535).contains(port) else {
                    throw ConfigurationError(variable: "MEMCACHED_SERVERS", problem: "must be host:port[,host:port…]")
                }
                c.memcachedServers.append((String(parts[0]), port))
            }
        }
        c.memcachedTimeoutMilliseconds = try integer(env, "MEMCACHED_TIMEOUT_MS", default: 50, in: 1...5_000)
        c.dashboard.cacheTTLSeconds = try integer(env, "DASHBOARD_CACHE_TTL", default: c.environment.defaultCacheTTL, in: 1...2_592_000)
        if let v = value("DASHBOARD_ENABLED") {
            switch v.lowercased() {
            case "true", "1", "yes", "on": c.dashboard.enabled = true
            case "false", "0", "no", "off": c.dashboard.enabled = false
            default: throw ConfigurationError(variable: "DASHBOARD_ENABLED", problem: "must be true or false")
            }
        }
        if let v = value("CORS_ALLOWED_ORIGINS") {
            c.dashboard.corsAllowedOrigins = []
            for item in v.split(separator: ",").map({ String($0.trimmingSpaces) }) where !item.isEmpty {
                // Compared byte for byte with the browser's Origin header, always a lowercase
                // `scheme://host[:port]`: anything else would silently match nothing.
                guard let origin = Self.serializedOrigin(item) else {
                    throw ConfigurationError(variable: "CORS_ALLOWED_ORIGINS",
                                             problem: "must list origins such as https://app.example.com (no path, no trailing slash, no *)")
                }
                c.dashboard.corsAllowedOrigins.append(origin)
            }
        }
        if let v = value("LOG_LEVEL") {
            guard let level = LogLevel(name: v) else {
                throw ConfigurationError(variable: "LOG_LEVEL", problem: "must be one of debug, info, warning, error")
            }
            c.logLevel = level
        }
        switch (value("JWT_SECRET"), value("JWT_PUBLIC_KEY_FILE")) {
        case (.some, .some):
            throw ConfigurationError(variable: "JWT_SECRET", problem: "and JWT_PUBLIC_KEY_FILE are exclusive: set one")
        case (.some(let secret), nil):
            guard secret.utf8.count >= 16 || c.environment == .development || c.environment == .testing else {
                throw ConfigurationError(variable: "JWT_SECRET", problem: "must be at least 16 bytes outside development and testing")
            }
            c.jwtKey = .secret(secret)
        case (nil, .some(let path)):
            c.jwtKey = .publicKeyFile(path)
        case (nil, nil):
            guard c.environment == .development else {
                throw ConfigurationError(variable: "JWT_SECRET", problem: "or JWT_PUBLIC_KEY_FILE is required outside development")
            }
            c.jwtKey = .secret(developmentSecret)
        }
        if let v = value("DB_READER_ROLE") {
            guard v == "none" || (v.utf8.count <= 63 && v.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }) else {
                throw ConfigurationError(variable: "DB_READER_ROLE", problem: "must be a role name of [a-z0-9_] or none")
            }
            c.readerRole = v == "none" ? nil : v
        }
        if let v = value("RATE_LIMIT_RPS") {
            guard let rps = Double(v), rps >= 0.001, rps <= 1_000_000 else {
                throw ConfigurationError(variable: "RATE_LIMIT_RPS", problem: "must be a number of requests per second from 0.001 to 1000000")
            }
            c.rateLimitRPS = rps
            c.rateLimitBurst = try integer(env, "RATE_LIMIT_BURST", default: max(1, Int((2 * rps).rounded(.up))), in: 1...10_000_000)
        } else if value("RATE_LIMIT_BURST") != nil {
            throw ConfigurationError(variable: "RATE_LIMIT_BURST", problem: "needs RATE_LIMIT_RPS")
        }
        if let v = value("METRICS_ALLOW") {
            c.dashboard.metricsAllow = v.split(separator: ",").map { String($0.trimmingSpaces) }
        }
        if value("METRICS_PORT") != nil {
            let port = try integer(env, "METRICS_PORT", default: 0, in: 1...65_535)
            guard port != c.server.port else {
                throw ConfigurationError(variable: "METRICS_PORT", problem: "must differ from PORT")
            }
            c.metricsPort = port
            c.dashboard.metricsAllow = []
        }
        c.jwtIssuer = value("JWT_ISSUER")
        c.jwtAudience = value("JWT_AUDIENCE")
        return c
    }

    private static func integer(_ env: [String: String], _ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let text = env[name], !text.isEmpty else { return fallback }
        guard let n = Int(text), range.contains(n) else {
            throw ConfigurationError(variable: name, problem: "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    private static func seconds(_ env: [String: String], _ name: String, default fallback: Double) throws(ConfigurationError) -> Double {
        guard let text = env[name], !text.isEmpty else { return fallback }
        guard let n = Double(text), n > 0, n <= 86_400 else {
            throw ConfigurationError(variable: name, problem: "must be a number of seconds greater than 0")
        }
        return n
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " { s.removeFirst() }
        while let l = s.last, l == " " { s.removeLast() }
        return s
    }
}

/// The process environment as a dictionary.
func processEnvironment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let eq = text.firstIndex(of: "=") {
            result[String(text[..<eq])] = String(text[text.index(after: eq)...])
        }
        pointer += 1
    }
    return result
}

extension Configuration {
    /// `http(s)://host[:port]` in the lowercase form browsers send in `Origin`; nil for anything
    /// else (`*`, `null`, a path, userinfo, an empty host, a port outside 1–65535).
    static func serializedOrigin(_ text: String) -> String? {
        let lowered = text.lowercased()
        let authority: Substring
        if lowered.hasPrefix("https://") {
            authority = lowered.dropFirst(8)
        } else if lowered.hasPrefix("http://") {
            authority = lowered.dropFirst(7)
        } else {
            return nil
        }
        if authority.hasPrefix("[") {  // an IPv6 literal
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let inside = authority.dropFirst()[..<close]
            let rest = authority[authority.index(after: close)...]
            guard !inside.isEmpty, inside.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }),
                  rest.isEmpty || Self.isPort(rest) else { return nil }
            return lowered
        }
        var host = authority
        if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            guard Self.isPort(authority[colon...]) else { return nil }
        }
        guard !host.isEmpty, host.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." }) else { return nil }
        return lowered
    }

    /// `:` followed by a port number 1–65535.
    private static func isPort(_ text: Substring) -> Bool {
        let digits = text.dropFirst()
        guard text.first == ":", (1...5).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(digits), (1...65535).contains(port) else { return false }
        return true
    }
}
