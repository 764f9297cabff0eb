import Basics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A per-server circuit breaker for servers that accept connections but do not answer.
///
/// libmemcached takes out servers that refuse connections, but a server that is up and
/// silent (stopped process, overload) costs the full poll timeout on every request, and
/// libmemcached 1.1 does not count those read timeouts. After `limit` timeouts in a row
/// the breaker opens for `openSeconds`: calls for keys on that server fail at once. The
/// first call after that is a probe; one success closes the breaker again.
final class MemcacheBreaker: Sendable {
    private struct Entry {
        var consecutiveTimeouts = 0
        /// Monotonic nanoseconds until which calls are refused.
        var openUntil: UInt64 = 0
    }

    private let entries = Locked<[String: Entry]>([:])
    private let limit: Int
    private let openNanoseconds: UInt64

    init(limit: Int, openSeconds: UInt64) {
        self.limit = limit
        self.openNanoseconds = openSeconds * 1_000_000_000
    }

    /// False while `server`'s breaker is open.
    func allows(_ server: String) -> Bool {
        let now = MemcacheBreaker.now()
        return entries.withLock { $0[server].map { $0.openUntil <= now } ?? true }
    }

    /// Records the outcome of a call to `server`.
    func record(_ server: String, timedOut: Bool) {
        entries.withLock { entries in
            if !timedOut {
                if entries[server] != nil { entries[server] = nil }
                return
            }
            var entry = entries[server] ?? Entry()
            entry.consecutiveTimeouts += 1
            if entry.consecutiveTimeouts >= limit {
                entry.openUntil = MemcacheBreaker.now() + openNanoseconds
            }
            entries[server] = entry
        }
    }

    private static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
