import Synchronization

/// Open connections across all event loops, for the `MAX_CONNECTIONS` limit and metrics.
public final class ConnectionCounter: Sendable {
    private let value = Atomic<Int>(0)

    public init() {}

    public var current: Int { value.load(ordering: .relaxed) }

    func tryAcquire(limit: Int) -> Bool {
        let previous = value.add(1, ordering: .relaxed).oldValue
        if previous >= limit {
            value.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func release() { value.subtract(1, ordering: .relaxed) }
}
