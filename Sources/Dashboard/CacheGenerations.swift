import Basics

/// Where generation tokens are shared between processes: memcached for replicas sharing a
/// cache, or a dictionary in this process. `nil` / `false` mean "unavailable right now".
public protocol GenerationStore: Sendable {
    func read(_ key: String) -> String??
    func write(_ key: String, _ value: String) -> Bool
}

/// Generation tokens that make cache keys change the moment a tenant's data does.
///
/// A key is `epoch.tenantToken`. A change notification (PostgreSQL `NOTIFY` from triggers on the
/// three tables) makes every process publish a new random token for that tenant to the shared
/// store and forget its own copy, so entries under the old key are never read again (they
/// expire by TTL). Replicas sharing memcached read the same tokens and so share entries.
///
/// Safety rules:
/// - While the notification channel is down nothing can be trusted: `prefix` is nil and callers
///   bypass the cache. On (re)connection a new epoch is published, since any tenant may have
///   changed in the gap.
/// - If a token cannot be published (memcached unreachable), the store may keep an old token
///   next to old entries; the process then uses private keys until it has published a new
///   epoch.
/// - Tokens read from the store are re-read after `refreshSeconds`, so replicas converge.
public final class CacheGenerations: Sendable {
    private struct Known {
        let token: String
        let fetched: Int64
    }
    private struct State: ~Copyable {
        var listening = false
        var epoch: Known?
        var tenants: [String: Known] = [:]
        /// A publish failed: shared tokens are suspect until a new epoch is published.
        var mustPublishEpoch = false
        /// Private keys while the store is unusable.
        var privateSalt = CacheGenerations.randomToken()
        /// Bumped by every notification: a token read from the store before one arrived is
        /// used once but not remembered.
        var changes = 0
    }
    private let state = Locked(State())
    private let store: any GenerationStore
    private let refreshNanoseconds: Int64

    static let epochKey = "fdg:*"

    public init(store: any GenerationStore, refreshSeconds: Int = 5) {
        self.store = store
        self.refreshNanoseconds = Int64(refreshSeconds) * 1_000_000_000
    }

    /// The key prefix if known without I/O (for the event loop); nil: call `resolvePrefix`.
    public func knownPrefix(for tenantKey: String, now: Int64) -> String? {
        state.withLock { s in
            guard s.listening, !s.mustPublishEpoch, let epoch = s.epoch, let tenant = s.tenants[tenantKey],
                  now - epoch.fetched < refreshNanoseconds, now - tenant.fetched < refreshNanoseconds else { return nil }
            return epoch.token + "." + tenant.token
        }
    }

    /// The key prefix, reading or creating tokens in the store (blocking: workers only).
    /// Nil when the cache must be bypassed (notifications down).
    public func resolvePrefix(for tenantKey: String, now: Int64) -> String? {
        guard state.withLock({ $0.listening }) else { return nil }
        if let known = knownPrefix(for: tenantKey, now: now) { return known }
        let changesBefore = state.withLock { $0.changes }
        if state.withLock({ $0.mustPublishEpoch }) {
            let epoch = Self.randomToken()
            if store.write(Self.epochKey, epoch) {
                state.withLock { s in
                    s.mustPublishEpoch = false
                    s.epoch = Known(token: epoch, fetched: now)
                    s.tenants.removeAll()
                }
            } else {
                return privatePrefix(for: tenantKey)
            }
        }
        guard let epoch = token(Self.epochKey), let tenant = token("fdg:" + tenantKey) else {
            return privatePrefix(for: tenantKey)
        }
        return state.withLock { s in
            if s.changes == changesBefore {
                s.epoch = Known(token: epoch, fetched: now)
                s.tenants[tenantKey] = Known(token: tenant, fetched: now)
                if s.tenants.count > 100_000 { s.tenants.removeAll() }
            }
            return epoch + "." + tenant
        }
    }

    /// A notification payload: `tenant_type:tenant_id`, or `*` for everything. Runs on the
    /// listener's thread.
    public func changed(_ payload: String) {
        if payload == "*" {
            forget { s in
                s.epoch = nil
                s.tenants.removeAll()
            }
            publish(Self.epochKey)
            forget { $0.epoch = nil }
        } else {
            forget { $0.tenants[payload] = nil }
            publish("fdg:" + payload)
            // Again after publishing: a concurrent `resolvePrefix` may have read the old token
            // from the store in between (it is then used once, never remembered).
            forget { $0.tenants[payload] = nil }
        }
    }

    /// The notification channel's state. Either transition may hide changes: forget everything,
    /// and on reconnection publish a new epoch — before the cache is used again, so that no
    /// worker builds a key from the epoch stored before the gap while it is being replaced.
    public func listening(_ up: Bool) {
        forget { s in
            s.listening = false
            s.epoch = nil
            s.tenants.removeAll()
        }
        guard up else { return }
        publish(Self.epochKey)
        forget { s in
            s.listening = true
            s.epoch = nil
        }
    }

    /// Drops what `body` says and invalidates private keys and tokens being read concurrently.
    private func forget(_ body: (inout State) -> Void) {
        state.withLock { s in
            body(&s)
            s.privateSalt = Self.randomToken()
            s.changes += 1
        }
    }

    private func publish(_ key: String) {
        if !store.write(key, Self.randomToken()) {
            state.withLock { $0.mustPublishEpoch = true }
        }
    }

    /// The stored token, created when missing; nil when the store is unavailable.
    private func token(_ key: String) -> String? {
        switch store.read(key) {
        case .some(.some(let value)): return value
        case .some(.none):
            let value = Self.randomToken()
            return store.write(key, value) ? value : nil
        case .none: return nil
        }
    }

    /// Keys no other process can produce; changed on every notification of this process.
    private func privatePrefix(for tenantKey: String) -> String {
        state.withLock { "p" + $0.privateSalt }
    }

    static func randomToken() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }
}

/// Tokens kept in this process (no memcached): always available.
public final class LocalGenerationStore: GenerationStore {
    private let values = Locked<[String: String]>([:])

    public init() {}

    public func read(_ key: String) -> String?? { .some(values.withLock { $0[key] }) }

    public func write(_ key: String, _ value: String) -> Bool {
        values.withLock { table in
            if table.count > 200_000 { table.removeAll() }
            table[key] = value
        }
        return true
    }
}
