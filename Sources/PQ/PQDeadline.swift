import Basics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point on the monotonic clock by which an operation must finish.
///
/// Monotonic so that a wall-clock jump (NTP step, manual date change) can neither stretch
/// nor cut a database timeout.
struct PQDeadline {
    /// Nanoseconds on `CLOCK_MONOTONIC`.
    let uptimeNanoseconds: UInt64

    /// The deadline `seconds` from now; negative or NaN values mean "already passed".
    init(secondsFromNow seconds: Double) {
        let now = PQDeadline.nowNanoseconds()
        let delta = seconds.isNaN || seconds <= 0 ? 0 : min(seconds, 1e9) * 1e9
        uptimeNanoseconds = now &+ UInt64(delta)
    }

    static func nowNanoseconds() -> UInt64 { UInt64(MonotonicClock.now()) }

    var hasPassed: Bool { PQDeadline.nowNanoseconds() >= uptimeNanoseconds }

    /// Whole milliseconds left, rounded up so a poll never wakes just before the deadline
    /// and spins; 0 once passed. Fits `poll()`'s `Int32` argument.
    var remainingMilliseconds: Int32 {
        let now = PQDeadline.nowNanoseconds()
        guard uptimeNanoseconds > now else { return 0 }
        let ms = (uptimeNanoseconds - now + 999_999) / 1_000_000
        return Int32(clamping: ms)
    }

    /// Seconds left as a `Double` (0 once passed).
    var remainingSeconds: Double {
        let now = PQDeadline.nowNanoseconds()
        guard uptimeNanoseconds > now else { return 0 }
        return Double(uptimeNanoseconds - now) / 1e9
    }
}

/// What `pqWait` saw on a descriptor.
enum PQWaitResult {
    case ready
    case timedOut
}

/// Waits until `fd` is ready for `events` (POLLIN / POLLOUT) or the deadline passes.
/// Errors and hang-ups count as "ready": the libpq call that follows reports them.
func pqWait(fd: Int32, events: Int16, until deadline: PQDeadline) -> PQWaitResult {
    // No socket (session already failed): let the caller's libpq call report it rather
    // than sleep until the deadline.
    guard fd >= 0 else { return .ready }
    var pfd = pollfd(fd: fd, events: events, revents: 0)
    while true {
        let timeout = deadline.remainingMilliseconds
        if timeout == 0 {
            // One last non-blocking look: data that already arrived still counts.
            return poll(&pfd, 1, 0) > 0 ? .ready : .timedOut
        }
        let n = poll(&pfd, 1, timeout)
        if n > 0 { return .ready }
        if n == 0 { continue }  // loop re-checks the deadline; poll may wake a hair early
        if errno == EINTR { continue }
        return .ready  // EBADF/ENOMEM: let libpq discover the broken socket
    }
}
