import Glibc

/// Monotonic time in nanoseconds; deadlines are compared in this unit.
public enum MonotonicClock {
    @inline(__always)
    public static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) &* 1_000_000_000 &+ Int64(ts.tv_nsec)
    }

    /// Seconds (possibly fractional) as nanoseconds.
    public static func nanoseconds(_ seconds: Double) -> Int64 { Int64(seconds * 1_000_000_000) }
}
