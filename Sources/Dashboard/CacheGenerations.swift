import Glibc
import Synchronization

/// Per-tenant generation numbers that make cache keys change the moment a tenant's data does.
///
/// A change notification (PostgreSQL `NOTIFY`, from triggers on the three tables) bumps the
/// tenant's generation; entries under the old key are never read again and expire by TTL. While
/// the notification channel is down nothing can be trusted: `isTrustworthy` is false (callers
/// bypass the cache) and the epoch — part of every key — is bumped on reconnection, since any
/// tenant may have changed in the gap.
public final class CacheGenerations: Sendable {
    private struct State: ~Copyable {
        var epoch: UInt64
        var tenants: [String: UInt64] = [:]
        var listening = false
    }
    private let state: Mutex<State>
    /// Bumps counted for `dashboard_cache_invalidations_total`.
    public let invalidations = Atomic<Int>(0)

    public init() {
        let seed = UInt64.random(in: 0...UInt64.max)
        // A random epoch per process: keys of a previous process (or replica) never collide.
        state = Mutex(State(epoch: seed))
    }

    /// The key prefix for `tenantKey`, or nil when the cache must be bypassed.
    public func prefix(for tenantKey: String) -> String? {
        state.withLock { s in
            guard s.listening else { return nil }
            return String(s.epoch, radix: 36) + "." + String(s.tenants[tenantKey] ?? 0, radix: 36)
        }
    }

    public var isTrustworthy: Bool { state.withLock { $0.listening } }

    /// A notification payload: `tenant_type:tenant_id`, or `*` for everything.
    public func changed(_ payload: String) {
        invalidations.add(1, ordering: .relaxed)
        state.withLock { s in
            if payload == "*" {
                s.epoch &+= 1
                s.tenants.removeAll()
            } else {
                s.tenants[payload, default: 0] &+= 1
                // Bounded memory: forgetting counters is safe once the epoch moves on.
                if s.tenants.count > 100_000 {
                    s.epoch &+= 1
                    s.tenants.removeAll()
                }
            }
        }
    }

    /// The notification channel's state; every transition moves the epoch.
    public func listening(_ up: Bool) {
        state.withLock { s in
            if s.listening != up {
                s.listening = up
                s.epoch &+= 1
                s.tenants.removeAll()
            }
        }
    }
}
