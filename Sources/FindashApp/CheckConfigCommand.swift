import Dashboard
import Glibc

/// `findash check-config`: validates the environment exactly as `serve` would (the JWT key
/// file included) and prints the effective configuration with secrets masked.
enum CheckConfigCommand {
    static let help = """
        Usage: findash check-config

        Validates the environment as `findash serve` would and prints the effective settings,
        one NAME=value per line, secrets masked. Exits 2 with a one-line reason when a setting
        is invalid. Nothing is connected to.
        """

    static func run(environment: [String: String]) -> Int32 {
        let c: Configuration
        do {
            c = try Configuration.fromEnvironment(environment)
            _ = try ServeCommand.makeKey(c.jwtKey!)
        } catch {
            printError("findash: \(error)")
            return 2
        }
        let lines: [(String, String)] = [
            ("ENVIRONMENT", c.environment.rawValue),
            ("HOST", c.server.host),
            ("PORT", String(c.server.port)),
            ("DATABASE_URL", maskedConnectionString(c.databaseURL)),
            ("MEMCACHED_SERVERS", c.memcachedServers.isEmpty ? "(in-process cache)" : c.memcachedServers.map { "\($0.host):\($0.port)" }.joined(separator: ",")),
            ("MEMCACHED_TIMEOUT_MS", String(c.memcachedTimeoutMilliseconds)),
            ("DASHBOARD_CACHE_TTL", String(c.dashboard.cacheTTLSeconds)),
            ("DASHBOARD_ENABLED", String(c.dashboard.enabled)),
            ("JWT", jwtDescription(c.jwtKey!, environment: environment)),
            ("JWT_ISSUER", c.jwtIssuer ?? "(unset)"),
            ("JWT_AUDIENCE", c.jwtAudience ?? "(unset)"),
            ("CORS_ALLOWED_ORIGINS", c.dashboard.corsAllowedOrigins.isEmpty ? "(unset)" : c.dashboard.corsAllowedOrigins.joined(separator: ",")),
            ("METRICS_ALLOW", c.dashboard.metricsAllow.joined(separator: ",")),
            ("METRICS_PORT", c.metricsPort.map(String.init) ?? "(unset: /metrics on PORT)"),
            ("LOG_LEVEL", c.logLevel.name),
            ("RATE_LIMIT_RPS", c.rateLimitRPS.map { String($0) } ?? "(off)"),
            ("RATE_LIMIT_BURST", c.rateLimitRPS == nil ? "(off)" : String(c.rateLimitBurst)),
            ("WORKERS", String(c.server.eventLoops)),
            ("BLOCKING_THREADS", String(c.blockingThreads)),
            ("DB_POOL_SIZE", String(c.databasePoolSize)),
            ("DB_STATEMENT_TIMEOUT", String(c.statementTimeout)),
            ("DB_READER_ROLE", c.readerRole ?? "none"),
            ("HTTP_HEAD_TIMEOUT", String(c.server.headTimeout)),
            ("HTTP_IDLE_TIMEOUT", String(c.server.idleTimeout)),
            ("HTTP_WRITE_TIMEOUT", String(c.server.writeTimeout)),
            ("MAX_CONNECTIONS", String(c.server.maxConnections)),
            ("DRAIN_TIMEOUT", String(c.server.drainTimeout)),
        ]
        for (name, value) in lines { print("\(name)=\(value)") }
        print("configuration: ok")
        return 0
    }

    private static func jwtDescription(_ key: Configuration.JWTKeySource, environment: [String: String]) -> String {
        switch key {
        case .secret:
            let set = !(environment["JWT_SECRET"] ?? "").isEmpty
            return set ? "HS256 with JWT_SECRET=****" : "HS256 with the built-in development secret"
        case .publicKeyFile(let path):
            return "RS256/ES256 with JWT_PUBLIC_KEY_FILE=\(path)"
        }
    }

    /// Hides passwords in URIs (`user:****@`) and key/value strings (`password=****`).
    static func maskedConnectionString(_ text: String) -> String {
        var out = Substring(text)
        var result = ""
        // URI userinfo: scheme://user:password@host
        if let scheme = find("://", in: out) {
            let afterScheme = out[scheme.upperBound...]
            if let at = afterScheme.firstIndex(of: "@"), let colon = afterScheme[..<at].firstIndex(of: ":") {
                result += out[..<afterScheme.index(after: colon)] + "****"
                out = out[at...]
            }
        }
        // key=value form: every password=… value, quoted or not.
        while let r = find("password=", in: out) {
            result += out[..<r.upperBound] + "****"
            var tail = out[r.upperBound...]
            if tail.first == "'" {
                tail = tail.dropFirst().drop { $0 != "'" }.dropFirst()
            } else {
                tail = tail.drop { $0 != " " && $0 != "&" }
            }
            out = tail
        }
        return result + out
    }

    private static func find(_ needle: String, in hay: Substring) -> Range<Substring.Index>? {
        var index = hay.startIndex
        while index < hay.endIndex {
            if hay[index...].hasPrefix(needle) {
                return index..<hay.index(index, offsetBy: needle.count)
            }
            index = hay.index(after: index)
        }
        return nil
    }
}
