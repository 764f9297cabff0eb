import Testing

@testable import HTTP1

/// Mutated requests, from a fixed seed: none may trap, none may depend on how the input is split.
struct FuzzTests {
    /// SplitMix64: a small deterministic generator, so a failure can be replayed.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds: [[UInt8]] =
        ValidRequestTests.corpus.map(\.raw) + SmugglingCorpusTests.corpus.map(\.raw) + [PipeliningTests.three]

    static let interesting: [UInt8] = Array("\r\n\t :;,=\"\\0%/?*#aZ9-".utf8) + [0, 0x7F, 0x80, 0xFF]

    @Test func mutatedRequests_neverTrap_andAreSplitInvariant() {
        var rng = SplitMix64(state: 0x4854_5450_31)
        var limits = HTTPLimits()
        limits.maxTargetBytes = 40
        limits.maxHeadBytes = 160
        limits.maxHeaderFields = 6
        limits.maxBodyBytes = 64
        limits.maxChunkExtensionBytes = 24
        var failures: [String] = []
        for round in 0..<3000 {
            var input = Self.seeds[Int.random(in: 0..<Self.seeds.count, using: &rng)]
            for _ in 0...Int.random(in: 0..<4, using: &rng) {
                let i = Int.random(in: 0...input.count, using: &rng)
                let byte = Bool.random(using: &rng)
                    ? Self.interesting[Int.random(in: 0..<Self.interesting.count, using: &rng)]
                    : UInt8.random(in: 0...255, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: input.insert(byte, at: i)
                case 1: if i < input.count { input.remove(at: i) }
                default: if i < input.count { input[i] = byte }
                }
            }
            let whole = drive(input, limits: limits)
            let splits = (0..<3).map { _ in Int.random(in: 0...input.count, using: &rng) }.sorted()
            let pieces = drive(input, splits: splits, limits: limits)
            let bytes = drive(input, splits: Array(0..<input.count), limits: limits)
            if whole != pieces || whole != bytes {
                failures.append("round \(round): \(input) whole \(whole) pieces \(pieces) bytes \(bytes)")
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(2))")
    }

    @Test func randomBytes_neverTrap() {
        var rng = SplitMix64(state: 7)
        for _ in 0..<500 {
            let input = (0..<Int.random(in: 0..<200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let t = drive(input)
            #expect(t.error != nil || t.events.isEmpty)
        }
    }
}
