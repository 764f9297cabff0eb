import Basics

/// The in-process cache: bounded by bytes, entries expire after their TTL, oldest evicted
/// first. In front of memcached it saves a network round trip on hot keys; without memcached
/// (`MEMCACHED_SERVERS` empty) it is the cache.
public final class LocalCache<Key: Hashable & Sendable>: Sendable {
    private struct Entry {
        let value: CachedResponse
        let expires: Int64
    }
    private struct State: ~Copyable {
        var entries: [Key: Entry] = [:]
        var order: [Key] = []
        var orderHead = 0
        var bytes = 0
    }
    private let state = Locked(State())
    private let maxBytes: Int
    /// Bytes counted per entry besides its body (key, bookkeeping).
    private static var entryOverhead: Int { 128 }

    /// - Parameter maxBytes: memory bound for cached bodies (default 64 MiB).
    public init(maxBytes: Int = 64 << 20) { self.maxBytes = maxBytes }

    /// `now` in monotonic nanoseconds.
    public func get(_ key: Key, now: Int64) -> CachedResponse? {
        state.withLock { s in
            guard let entry = s.entries[key] else { return nil }
            guard entry.expires > now else {
                s.entries[key] = nil
                s.bytes -= entry.value.body.count + Self.entryOverhead
                return nil
            }
            return entry.value
        }
    }

    public func set(_ key: Key, _ value: CachedResponse, ttlNanoseconds: Int64, now: Int64) {
        let size = value.body.count + Self.entryOverhead
        guard size < maxBytes / 4 else { return }
        state.withLock { s in
            if let old = s.entries.updateValue(Entry(value: value, expires: now + ttlNanoseconds), forKey: key) {
                s.bytes -= old.value.body.count + Self.entryOverhead
            } else {
                s.order.append(key)
            }
            s.bytes += size
            while s.bytes > maxBytes && s.orderHead < s.order.count {
                let victim = s.order[s.orderHead]
                s.orderHead += 1
                if let gone = s.entries.removeValue(forKey: victim) {
                    s.bytes -= gone.value.body.count + Self.entryOverhead
                }
            }
            // Keys of expired or replaced entries linger in `order`; compact when it dominates.
            if s.order.count > 2 * s.entries.count + 1024 {
                let live = s.entries
                s.order = s.order[s.orderHead...].filter { live[$0] != nil }
                s.orderHead = 0
            }
        }
    }
}
