import Basics

/// A token bucket per tenant (`RATE_LIMIT_RPS` refill, `RATE_LIMIT_BURST` capacity), so one
/// noisy tenant cannot starve the others. Memory stays bounded however many tenants call: a
/// full bucket carries no information and is dropped when the table grows.
public final class RateLimiter: Sendable {
    public struct Decision: Sendable, Equatable {
        public let allowed: Bool
        /// Whole requests left in the bucket after this one.
        public let remaining: Int
        /// Seconds until the bucket is full again.
        public let resetSeconds: Int
        /// Seconds until one request is allowed again (when refused).
        public let retryAfterSeconds: Int
    }

    private struct Bucket {
        var tokens: Double
        var updated: Int64
    }

    public let rate: Double
    public let burst: Int
    private let buckets = Locked<[String: Bucket]>([:])
    private let maxTenants: Int

    public init(rate: Double, burst: Int, maxTenants: Int = 100_000) {
        self.rate = rate
        self.burst = max(1, burst)
        self.maxTenants = maxTenants
    }

    /// Takes one token for `key` at monotonic time `now` (ns).
    public func take(_ key: String, now: Int64) -> Decision {
        let capacity = Double(burst)
        return buckets.withLock { table in
            var bucket = table[key] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = Double(max(0, now - bucket.updated)) / 1e9
            bucket.tokens = min(capacity, bucket.tokens + elapsed * rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            if table.count >= maxTenants && table[key] == nil { prune(&table, now: now) }
            table[key] = bucket
            return Decision(
                allowed: allowed,
                remaining: Int(bucket.tokens.rounded(.down)),
                resetSeconds: Self.seconds((capacity - bucket.tokens) / rate),
                retryAfterSeconds: allowed ? 0 : max(1, Self.seconds((1 - bucket.tokens) / rate)))
        }
    }

    /// Whole seconds, rounded up and capped at a day (a tiny rate must not overflow `Int`).
    private static func seconds(_ value: Double) -> Int {
        guard value.isFinite else { return 86_400 }
        return Int(min(86_400, max(0, value)).rounded(.up))
    }

    /// Forgets buckets that have refilled (they would start full anyway); if every tenant is
    /// active, forgets them all — erring towards letting requests through.
    private func prune(_ table: inout [String: Bucket], now: Int64) {
        let capacity = Double(burst)
        table = table.filter { _, b in b.tokens + Double(max(0, now - b.updated)) / 1e9 * rate < capacity }
        if table.count >= maxTenants { table.removeAll() }
    }
}
