/// The seeder's deterministic random numbers: xoshiro256** seeded through splitmix64.
///
/// Own generator rather than the standard library's so that a given `--seed` produces the
/// same data set on every platform and Swift version. Each tenant draws from its own
/// stream, so the data of one tenant does not depend on how many others are generated.
struct SeedRandom {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    init(seed: UInt64, stream: UInt64) {
        var state = seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03
        func splitmix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(&state)
        s1 = splitmix(&state)
        s2 = splitmix(&state)
        s3 = splitmix(&state)
    }

    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in `0..<n` (n > 0), by multiply-high (no modulo bias worth caring about here).
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Uniform in `lower...upper`.
    mutating func between(_ lower: Int, _ upper: Int) -> Int {
        lower + below(upper - lower + 1)
    }

    /// Uniform in `[0, 1)`.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// Log-uniform in `lower...upper` (both > 0): small amounts common, large ones rare,
    /// the way real spending looks.
    mutating func logUniform(_ lower: Double, _ upper: Double) -> Double {
        lower * pow2(log2(upper / lower) * unit())
    }

    /// Picks an index with probability proportional to `weights[i]`.
    mutating func weighted(_ weights: [Int], total: Int) -> Int {
        var roll = below(total)
        for (index, weight) in weights.enumerated() {
            if roll < weight { return index }
            roll -= weight
        }
        return weights.count - 1
    }

    /// A version-7 UUID (RFC 9562 §5.7): 48-bit Unix milliseconds, then random bits.
    /// Time-ordered ids make the primary-key index grow at its right edge during COPY,
    /// which makes loading several times faster than random version-4 ids.
    mutating func uuid(unixMilliseconds: Int64) -> SeedUUID {
        let time = UInt64(max(0, unixMilliseconds)) & 0xFFFF_FFFF_FFFF
        let high = time << 16 | 0x7000 | (next() & 0x0FFF)
        return SeedUUID(high: high, low: (next() & ~(0xC << 60)) | (0x8 << 60))
    }

    /// A version-4 UUID (random, RFC 9562 §5.4) from this stream.
    mutating func uuid() -> SeedUUID {
        SeedUUID(high: (next() & ~0xF000) | 0x4000, low: (next() & ~(0xC << 60)) | (0x8 << 60))
    }
}

/// A UUID as two 64-bit halves, printed in PostgreSQL's canonical lowercase form.
struct SeedUUID {
    var high: UInt64
    var low: UInt64
}

// Tiny math without Foundation (Glibc has these, but keep the seeder's arithmetic local).
@inline(__always) private func pow2(_ x: Double) -> Double { SeedMath.exp2(x) }
@inline(__always) private func log2(_ x: Double) -> Double { SeedMath.log2(x) }
