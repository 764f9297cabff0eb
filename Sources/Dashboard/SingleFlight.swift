import Basics

/// Concurrent requests for the same cache key share one computation (no stampede on a miss).
final class SingleFlight<Value: Sendable>: Sendable {
    typealias Waiter = @Sendable (Value) -> Void
    private let waiting = Locked<[String: [Waiter]]>([:])

    /// Returns true when the caller leads and must compute, then call `finish`.
    func join(_ key: String, _ waiter: @escaping Waiter) -> Bool {
        waiting.withLock { table in
            if table[key] != nil {
                table[key]!.append(waiter)
                return false
            }
            table[key] = [waiter]
            return true
        }
    }

    func finish(_ key: String, _ value: Value) {
        let waiters = waiting.withLock { $0.removeValue(forKey: key) } ?? []
        for waiter in waiters { waiter(value) }
    }
}
