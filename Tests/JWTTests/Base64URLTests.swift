import JWT
import Testing

/// Strict unpadded base64url (RFC 4648 §5).
struct Base64URLTests {
    @Test func rfc4648Vectors_encodeAndDecode() {
        let vectors = [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"),
                       ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in vectors {
            #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
            #expect(Base64URL.decode(encoded) == Array(plain.utf8))
        }
    }

    @Test func urlAlphabet_replacesPlusAndSlash() {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64URL.decode("+/8") == nil)
    }

    @Test func roundTrip_everyLengthUpTo100() {
        var random = SplitMix64(seed: 1)
        for length in 0...100 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    @Test(arguments: ["Zg==", "Zm8=", "Z", "Zm9vY", "Zm 9v", "Zm9v\n", "Zm9v!", "Zé", "\u{0}AAA"])
    func paddingInvalidCharactersAndImpossibleLengths_areRejected(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }

    @Test func nonCanonicalTrailingBits_areRejected() {
        #expect(Base64URL.decode("Zg") == [0x66])
        #expect(Base64URL.decode("Zh") == nil)
        #expect(Base64URL.decode("Zm8") == [0x66, 0x6F])
        #expect(Base64URL.decode("Zm9") == nil)
    }

    @Test func everyTwoAndThreeCharacterText_decodesOnlyIfCanonical() {
        // Exhaustive: anything accepted must re-encode to itself, so each byte string has one spelling.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var accepted = 0
        for a in alphabet {
            for b in alphabet {
                if let bytes = Base64URL.decode([a, b]) {
                    accepted += 1
                    #expect(Array(Base64URL.encode(bytes).utf8) == [a, b])
                }
                for c in alphabet {
                    if let bytes = Base64URL.decode([a, b, c]) {
                        #expect(Array(Base64URL.encode(bytes).utf8) == [a, b, c])
                    }
                }
            }
        }
        #expect(accepted == 256)
    }

    @Test func everyByteOutsideTheAlphabet_isRejected() {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        for byte in UInt8.min...UInt8.max where !alphabet.contains(byte) {
            #expect(Base64URL.decode([UInt8(ascii: "A"), UInt8(ascii: "A"), UInt8(ascii: "A"), byte]) == nil)
        }
    }
}
