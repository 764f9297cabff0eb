import CLibMemcached

/// Sole owner of one `memcached_st` (its connections included): freed in `deinit`.
///
/// A `memcached_st` is not thread-safe, so a handle is used by one thread at a time; the
/// client's pool passes it between threads, hence `@unchecked Sendable`.
final class MemcacheHandle: @unchecked Sendable {
    let raw: UnsafeMutablePointer<memcached_st>

    init?(_ raw: UnsafeMutablePointer<memcached_st>?) {
        guard let raw else { return nil }
        self.raw = raw
    }

    deinit {
        memcached_free(raw)
    }

    /// A new handle with the same servers and behaviours, and its own connections.
    func clone() -> MemcacheHandle? {
        MemcacheHandle(memcached_clone(nil, raw))
    }
}
