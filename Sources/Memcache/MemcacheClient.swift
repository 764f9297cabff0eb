import Basics
import CLibMemcached

/// A memcached client over libmemcached, safe to share between threads.
///
/// Keys are spread over the servers with ketama consistent hashing (libketama-compatible
/// MD5 continuum), so adding or losing a server remaps only its share of keys. Every
/// network step is bounded by `timeoutMilliseconds` (connect, poll, send, receive). A
/// server whose connections fail (down, refusing) is skipped at once — calls for its keys
/// fail fast — and retried every 2 s; after repeated failures libmemcached takes it out of
/// the continuum (its keys move to the other servers) until it answers again. A server
/// that accepts connections but does not answer (stopped, overloaded) is cut off by a
/// per-server circuit breaker after two timeouts in a row, then probed every 2 s.
///
/// `memcached_st` is not thread-safe: the client keeps a stack of handles cloned from a
/// configured prototype, lending one per call. When all are busy a temporary handle is
/// cloned instead of waiting (the cache must never add queueing latency); at most
/// `poolSize` handles are kept.
public final class MemcacheClient: Sendable {
    private let prototype: Locked<MemcacheHandle?>
    private let idle = Locked<[MemcacheHandle]>([])
    private let poolSize: Int
    /// Stops paying the timeout on every call to a server that is up but silent.
    private let breaker = MemcacheBreaker(limit: Int(MemcacheClient.failureLimit), openSeconds: MemcacheClient.retrySeconds)

    /// Server failures in a row before a server is taken out.
    static let failureLimit: UInt64 = 2
    /// Seconds before a server taken out is tried again.
    static let retrySeconds: UInt64 = 2

    /// - Parameters:
    ///   - servers: the memcached servers (an empty list makes every call `.unavailable`).
    ///   - timeoutMilliseconds: bound on each connect / send / receive (default 50).
    ///   - poolSize: most idle handles kept, each with its own connection to each server
    ///     (default 16; size it to the number of threads that use the cache).
    ///   - binaryProtocol: memcached's binary protocol instead of the text one. Default
    ///     false: both measured the same here (about 12 µs of client CPU and 24 µs round
    ///     trip per 30 KB get or set on loopback), and memcached 1.6 deprecates binary.
    public init(servers: [MemcacheServer], timeoutMilliseconds: Int = 50, poolSize: Int = 16, binaryProtocol: Bool = false) {
        self.poolSize = max(1, poolSize)
        guard let handle = MemcacheHandle(memcached_create(nil)) else {
            prototype = Locked(nil)
            return
        }
        let raw = handle.raw
        let timeout = UInt64(max(1, timeoutMilliseconds))
        func set(_ behavior: memcached_behavior_t, _ value: UInt64) {
            _ = memcached_behavior_set(raw, behavior, value)
        }
        set(MEMCACHED_BEHAVIOR_BINARY_PROTOCOL, binaryProtocol ? 1 : 0)
        // KETAMA_WEIGHTED: consistent hashing with MD5 for keys and continuum, compatible
        // with other ketama clients (equal weights here).
        set(MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1)
        set(MEMCACHED_BEHAVIOR_TCP_NODELAY, 1)  // small request/response: no Nagle delay
        set(MEMCACHED_BEHAVIOR_TCP_KEEPALIVE, 1)
        set(MEMCACHED_BEHAVIOR_CONNECT_TIMEOUT, timeout)  // milliseconds
        set(MEMCACHED_BEHAVIOR_POLL_TIMEOUT, timeout)  // milliseconds
        set(MEMCACHED_BEHAVIOR_SND_TIMEOUT, timeout * 1000)  // microseconds
        set(MEMCACHED_BEHAVIOR_RCV_TIMEOUT, timeout * 1000)  // microseconds
        set(MEMCACHED_BEHAVIOR_SERVER_FAILURE_LIMIT, MemcacheClient.failureLimit)
        set(MEMCACHED_BEHAVIOR_REMOVE_FAILED_SERVERS, 1)
        set(MEMCACHED_BEHAVIOR_RETRY_TIMEOUT, MemcacheClient.retrySeconds)
        set(MEMCACHED_BEHAVIOR_DEAD_TIMEOUT, MemcacheClient.retrySeconds)
        for server in servers where (1...65535).contains(server.port) {
            _ = memcached_server_add(raw, server.host, in_port_t(server.port))
        }
        prototype = Locked(handle)
    }

    /// The value stored under `key`, or nil on a miss.
    public func get(_ key: String) -> Result<[UInt8]?, MemcacheError> {
        guard MemcacheClient.isValid(key) else { return .failure(.failed("invalid key")) }
        return withHandle(key: key) { raw in
            var length = 0
            var flags: UInt32 = 0
            var rc = MEMCACHED_SUCCESS
            let value = key.withCString { memcached_get(raw, $0, key.utf8.count, &length, &flags, &rc) }
            defer { if let value { findash_memcached_free_value(value) } }
            if rc == MEMCACHED_NOTFOUND { return .success(nil) }
            guard rc == MEMCACHED_SUCCESS else { return .failure(MemcacheClient.error(rc, raw)) }
            guard let value else { return .success([]) }  // an empty value
            return .success(Array(UnsafeRawBufferPointer(start: value, count: length)))
        }
    }

    /// Stores `value` under `key` for `ttlSeconds` (clamped to 1…30 days; memcached reads
    /// larger numbers as absolute Unix times).
    public func set(_ key: String, value: [UInt8], ttlSeconds: Int) -> Result<Void, MemcacheError> {
        guard MemcacheClient.isValid(key) else { return .failure(.failed("invalid key")) }
        let ttl = time_t(min(max(ttlSeconds, 1), 30 * 86_400))
        return withHandle(key: key) { raw in
            let rc = key.withCString { keyPointer in
                value.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { bytes in
                        memcached_set(raw, keyPointer, key.utf8.count, bytes.baseAddress, bytes.count, ttl, 0)
                    }
                }
            }
            return rc == MEMCACHED_SUCCESS ? .success(()) : .failure(MemcacheClient.error(rc, raw))
        }
    }

    /// A cheap liveness check: one `get` of a fixed key (a miss is success). It reaches the
    /// server owning that key, or another one when that server has been taken out.
    public func ping() -> Result<Void, MemcacheError> {
        get("findash:ping").map { _ in () }
    }

    /// Runs `body` with a handle of its own (a pooled one, else a fresh clone), unless the
    /// breaker of the server owning `key` is open.
    private func withHandle<T>(key: String, _ body: (UnsafeMutablePointer<memcached_st>) -> Result<T, MemcacheError>) -> Result<T, MemcacheError> {
        let pooled = idle.withLock { $0.popLast() }
        guard let handle = pooled ?? prototype.withLock({ $0?.clone() }) else { return .failure(.unavailable) }
        defer {
            idle.withLock { stack in
                if stack.count < poolSize { stack.append(handle) }
            }
        }
        let server = MemcacheClient.server(owning: key, handle.raw)
        if let server, !breaker.allows(server) { return .failure(.unavailable) }
        let result = body(handle.raw)
        if let server {
            if case .failure(.timeout) = result {
                breaker.record(server, timedOut: true)
            } else {
                breaker.record(server, timedOut: false)
            }
        }
        return result
    }

    /// "host:port" of the server `key` hashes to (after any servers taken out), if any.
    private static func server(owning key: String, _ raw: UnsafeMutablePointer<memcached_st>) -> String? {
        var rc = MEMCACHED_SUCCESS
        guard let instance = key.withCString({ memcached_server_by_key(raw, $0, key.utf8.count, &rc) }),
              let name = memcached_server_name(instance) else { return nil }
        return String(cString: name) + ":" + String(memcached_server_port(instance))
    }

    /// memcached keys: 1…250 bytes, no spaces or control characters (protocol.txt, "Keys").
    static func isValid(_ key: String) -> Bool {
        var count = 0
        for byte in key.utf8 {
            guard byte > 0x20, byte != 0x7F else { return false }
            count += 1
        }
        return count > 0 && count <= 250
    }

    private static func error(_ rc: memcached_return_t, _ raw: UnsafeMutablePointer<memcached_st>) -> MemcacheError {
        switch rc {
        case MEMCACHED_TIMEOUT:
            return .timeout
        case MEMCACHED_CONNECTION_FAILURE, MEMCACHED_CONNECTION_SOCKET_CREATE_FAILURE, MEMCACHED_SERVER_MARKED_DEAD,
             MEMCACHED_SERVER_TEMPORARILY_DISABLED, MEMCACHED_NO_SERVERS, MEMCACHED_ERRNO, MEMCACHED_READ_FAILURE,
             MEMCACHED_WRITE_FAILURE, MEMCACHED_UNKNOWN_READ_FAILURE, MEMCACHED_HOST_LOOKUP_FAILURE,
             MEMCACHED_CONNECTION_BIND_FAILURE, MEMCACHED_FAIL_UNIX_SOCKET:
            return .unavailable
        default:
            // memcached_strerror returns a fixed text per code, never a host name.
            return .failed(memcached_strerror(raw, rc).map { String(cString: $0) } ?? "error")
        }
    }
}
