import JWT
import Testing

/// The compact serialization's shape and size (RFC 7515 §7.1), checked before any crypto.
struct TokenShapeTests {
    static let valid = Tokens.hs256(Tokens.validPayload)

    private func verify(_ token: String, _ options: JWTVerifierOptions = .init()) -> Result<JWTClaims, JWTError> {
        Tokens.hs256Verifier(options).verify(token, now: Tokens.now)
    }

    @Test func validToken_verifies_fromEveryInputType() {
        let verifier = Tokens.hs256Verifier()
        #expect(verifier.verify(Self.valid, now: Tokens.now).isSuccess)
        #expect(verifier.verify(Array(Self.valid.utf8), now: Tokens.now).isSuccess)
        #expect(verifier.verify(Self.valid.utf8, now: Tokens.now).isSuccess)
        #expect(verifier.verify(("Bearer " + Self.valid).dropFirst(7), now: Tokens.now).isSuccess)
        #expect(verifier.verify(Array(Self.valid.utf8)[...], now: Tokens.now).isSuccess)
        // A collection with no contiguous storage takes the copying path.
        #expect(verifier.verify(Self.valid.utf8.lazy.map { $0 }, now: Tokens.now).isSuccess)
    }

    @Test func twoOrFourOrFiveSegments_areMalformed() {
        let parts = Self.valid.split(separator: ".").map(String.init)
        for token in ["\(parts[0]).\(parts[1])", "\(Self.valid).\(parts[2])", "\(Self.valid).\(parts[2]).\(parts[2])", parts[0]] {
            #expect(verify(token).failure == .malformed)
        }
    }

    @Test func emptySegments_areMalformed() {
        let parts = Self.valid.split(separator: ".").map(String.init)
        for token in [".\(parts[1]).\(parts[2])", "\(parts[0])..\(parts[2])", "\(parts[0]).\(parts[1]).", "..", ".", ""] {
            #expect(verify(token).failure == .malformed)
        }
    }

    @Test func paddingOrWhitespace_isMalformed() {
        let parts = Self.valid.split(separator: ".").map(String.init)
        for token in ["\(parts[0])=.\(parts[1]).\(parts[2])", "\(Self.valid)=", "\(Self.valid)==", " \(Self.valid)",
                      "\(Self.valid)\n"] {
            #expect(verify(token).failure == .malformed, "\(token)")
        }
        // The payload segment is signed bytes: altering it fails the MAC before it is decoded.
        #expect(verify("\(parts[0]).\(parts[1])=.\(parts[2])").failure == .badSignature)
        #expect(verify("\(parts[0]). \(parts[1]).\(parts[2])").failure == .badSignature)
    }

    @Test func nonBase64URLCharacters_areMalformed() {
        for bad in ["+", "/", "*", "é", "\u{0}"] {
            let parts = Self.valid.split(separator: ".").map(String.init)
            #expect(verify("\(parts[0]).\(parts[1]).\(parts[2].dropLast(4))\(bad)AAA").failure == .malformed)
            #expect(verify("\(bad)\(parts[0].dropFirst()).\(parts[1]).\(parts[2])").failure == .malformed)
        }
        #expect(verify("not.a.token").failure == .malformed)
        #expect(verify("eyJhbGciOiJIUzI1NiJ9.@@@@.AAAA").failure == .badSignature) // payload isn't read before the MAC
    }

    @Test func nonCanonicalTrailingBits_inSignature_areMalformed() {
        // 32 bytes encode to 43 characters whose last one carries 2 unused bits.
        var bytes = Array(Self.valid.utf8)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        let last = alphabet.firstIndex(of: bytes[bytes.count - 1])!
        bytes[bytes.count - 1] = alphabet[last ^ 1] // flip an unused bit
        #expect(Tokens.hs256Verifier().verify(bytes, now: Tokens.now).failure == .malformed)
    }

    @Test func oversizedToken_isTooLarge_beforeAnyParsing() {
        let length = Self.valid.utf8.count
        #expect(verify(Self.valid, JWTVerifierOptions(maxTokenBytes: length)).isSuccess)
        #expect(verify(Self.valid, JWTVerifierOptions(maxTokenBytes: length - 1)).failure == .tooLarge)
        #expect(verify(String(repeating: "A", count: 8193)).failure == .tooLarge)
        #expect(Tokens.hs256Verifier().verify([UInt8](repeating: 0x2E, count: 8193), now: Tokens.now).failure == .tooLarge)
        #expect(verify(String(repeating: "A", count: 8192)).failure == .malformed)
    }

    @Test func randomTokens_neverTrap_andNeverVerify() {
        var random = SplitMix64(seed: 7)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ".utf8)
        let seed = Array(Self.valid.utf8)
        let verifier = Tokens.hs256Verifier()
        for round in 0..<5_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(random.next() % 200)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            } else {
                bytes = seed
                for _ in 0...(random.next() % 3) {
                    bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            if bytes == seed { continue }
            #expect(!verifier.verify(bytes, now: Tokens.now).isSuccess)
        }
    }
}

/// A tiny deterministic PRNG (SplitMix64) so the pseudo-random tests replay identically.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
