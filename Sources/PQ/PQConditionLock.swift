#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pthread mutex with one condition variable, for the pool's "wait until a connection is
/// free, but not past the deadline". (`Synchronization.Mutex` has no condition variable.)
///
/// The condition waits on `CLOCK_MONOTONIC` where the platform allows, matching `PQDeadline`.
final class PQConditionLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        #if canImport(Glibc)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        #endif
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }

    /// Runs `body` with the mutex held.
    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Wakes one waiter. Call with the mutex held or not; waiters re-check their predicate.
    func signal() { pthread_cond_signal(condition) }

    /// Waits (mutex held) until signalled or `deadline`; false when the deadline passed.
    /// Spurious wake-ups return true: callers loop on their own predicate.
    func wait(until deadline: PQDeadline) -> Bool {
        if deadline.hasPassed { return false }
        #if canImport(Glibc)
        var ts = timespec(tv_sec: Int(deadline.uptimeNanoseconds / 1_000_000_000),
                          tv_nsec: Int(deadline.uptimeNanoseconds % 1_000_000_000))
        #else
        // Darwin has no monotonic condattr clock: use a relative wait.
        let left = UInt64(deadline.remainingSeconds * 1e9)
        var ts = timespec(tv_sec: Int(left / 1_000_000_000), tv_nsec: Int(left % 1_000_000_000))
        #endif
        #if canImport(Glibc)
        let rc = pthread_cond_timedwait(condition, mutex, &ts)
        #else
        let rc = pthread_cond_timedwait_relative_np(condition, mutex, &ts)
        #endif
        return rc != ETIMEDOUT
    }
}
