/// A cache shared across processes (memcached), seen through the little the dashboard needs.
/// Implementations never throw: a failing cache is a miss, counted by the implementation.
public protocol SharedResponseCache: Sendable {
    func get(_ key: String) -> CachedResponse?
    func set(_ key: String, _ value: CachedResponse, ttlSeconds: Int)
    /// A bounded liveness probe for `/health/dashboard`.
    func ping() -> Bool
}

/// Hands blocking work to a thread pool; the dashboard never blocks an event loop.
public typealias JobRunner = @Sendable (@escaping @Sendable () -> Void) -> Void
