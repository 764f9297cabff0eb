import Dashboard
import Memcache
import Telemetry

/// memcached behind the dashboard's `SharedResponseCache` and `GenerationStore`: failures are
/// misses, counted.
final class MemcachedResponseCache: SharedResponseCache, GenerationStore {
    private let client: MemcacheClient
    private let metrics: Metrics

    init(client: MemcacheClient, metrics: Metrics) {
        self.client = client
        self.metrics = metrics
    }

    func get(_ key: String) -> CachedResponse? {
        switch client.get(key) {
        case .success(let bytes?): return CachedResponse(serialized: bytes)
        case .success(nil): return nil
        case .failure:
            metrics.cacheErrors.add(1, ordering: .relaxed)
            return nil
        }
    }

    func set(_ key: String, _ value: CachedResponse, ttlSeconds: Int) {
        if case .failure = client.set(key, value: value.serialized, ttlSeconds: ttlSeconds) {
            metrics.cacheErrors.add(1, ordering: .relaxed)
        }
    }

    func ping() -> Bool {
        if case .success = client.ping() { return true }
        return false
    }

    func read(_ key: String) -> String?? {
        switch client.get(key) {
        case .success(let bytes?): return .some(String(decoding: bytes, as: UTF8.self))
        case .success(nil): return .some(nil)
        case .failure:
            metrics.cacheErrors.add(1, ordering: .relaxed)
            return .none
        }
    }

    /// Tokens live a week: far longer than any entry keyed by them.
    func write(_ key: String, _ value: String) -> Bool {
        if case .failure = client.set(key, value: Array(value.utf8), ttlSeconds: 7 * 86_400) {
            metrics.cacheErrors.add(1, ordering: .relaxed)
            return false
        }
        return true
    }
}
