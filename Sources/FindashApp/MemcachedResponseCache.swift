import Dashboard
import Memcache
import Synchronization
import Telemetry

/// memcached behind the dashboard's `SharedResponseCache` and `GenerationStore`: failures are
/// misses, counted.
final class MemcachedResponseCache: SharedResponseCache, GenerationStore {
    private let client: MemcacheClient
    private let metrics: Metrics
    private let logger: Logger
    /// Whether the last operation reached memcached; transitions are logged once each.
    private let reachable = Atomic<Bool>(true)

    init(client: MemcacheClient, metrics: Metrics, logger: Logger) {
        self.client = client
        self.metrics = metrics
        self.logger = logger
    }

    private func failed() {
        metrics.cacheErrors.add(1, ordering: .relaxed)
        if reachable.exchange(false, ordering: .relaxed) {
            logger.warning("memcached lost: answering from PostgreSQL")
        }
    }

    private func succeeded() {
        if !reachable.exchange(true, ordering: .relaxed) {
            logger.info("memcached back")
        }
    }

    func get(_ key: String) -> CachedResponse? {
        switch client.get(key) {
        case .success(let bytes?):
            succeeded()
            return CachedResponse(serialized: bytes)
        case .success(nil):
            succeeded()
            return nil
        case .failure:
            failed()
            return nil
        }
    }

    func set(_ key: String, _ value: CachedResponse, ttlSeconds: Int) {
        if case .failure = client.set(key, value: value.serialized, ttlSeconds: ttlSeconds) { failed() } else { succeeded() }
    }

    func ping() -> Bool {
        if case .success = client.ping() {
            succeeded()
            return true
        }
        failed()
        return false
    }

    func read(_ key: String) -> String?? {
        switch client.get(key) {
        case .success(let bytes?):
            succeeded()
            return .some(String(decoding: bytes, as: UTF8.self))
        case .success(nil):
            succeeded()
            return .some(nil)
        case .failure:
            failed()
            return .none
        }
    }

    /// Tokens live a week: far longer than any entry keyed by them.
    func write(_ key: String, _ value: String) -> Bool {
        if case .failure = client.set(key, value: Array(value.utf8), ttlSeconds: 7 * 86_400) {
            failed()
            return false
        }
        succeeded()
        return true
    }
}
