/// What can go wrong with the cache. A cache failure is never the client's problem: the
/// caller falls back to the database and reports the cache as degraded.
public enum MemcacheError: Error, Sendable, Equatable {
    /// No server reachable (down, refused, taken out after repeated failures).
    case unavailable
    /// A server did not answer within the configured timeout.
    case timeout
    /// Anything else (invalid key, value too large, server error), with libmemcached's
    /// fixed description of the return code (it never names hosts).
    case failed(String)

    /// A fixed, log-safe description.
    public var logDescription: String {
        switch self {
        case .unavailable: return "cache unavailable"
        case .timeout: return "cache timed out"
        case .failed(let reason): return "cache operation failed: \(reason)"
        }
    }
}

/// One memcached server.
public struct MemcacheServer: Sendable, Hashable {
    /// Host name or IP address.
    public var host: String
    /// TCP port (memcached's default is 11211).
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}
