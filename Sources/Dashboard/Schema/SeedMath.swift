#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few libm functions the seeder needs, in one place.
enum SeedMath {
    static func exp2(_ x: Double) -> Double {
        #if canImport(Glibc)
        Glibc.exp2(x)
        #else
        Darwin.exp2(x)
        #endif
    }

    static func log2(_ x: Double) -> Double {
        #if canImport(Glibc)
        Glibc.log2(x)
        #else
        Darwin.log2(x)
        #endif
    }

    static func pow(_ x: Double, _ y: Double) -> Double {
        #if canImport(Glibc)
        Glibc.pow(x, y)
        #else
        Darwin.pow(x, y)
        #endif
    }

    /// Today's UTC calendar day as days since 1970-01-01.
    static func currentUTCDay() -> Int {
        Int(time(nil)) / 86_400
    }
}

extension SeedMath {
    /// Monotonic seconds, for the seeder's progress log.
    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// `value` with one decimal, for log lines ("12.3").
    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
