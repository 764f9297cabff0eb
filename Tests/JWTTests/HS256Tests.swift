import JWT
import Testing

/// HS256 verification, anchored on the RFC 7515 Appendix A.1 known-answer vector.
struct HS256Tests {
    /// RFC 7515 A.1: header `{"typ":"JWT",\r\n "alg":"HS256"}`, the JWK `k` below as secret.
    static let rfcToken = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let rfcKey = Base64URL.decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")!
    static let rfcExp: Int64 = 1_300_819_380

    @Test func rfc7515AppendixA1_verifies_beforeItsExpiry() throws {
        let verifier = JWTVerifier(key: .hmac(secret: Self.rfcKey), options: JWTVerifierOptions(issuer: "joe"))
        let claims = try verifier.verify(Self.rfcToken, now: Self.rfcExp - 1).get()
        #expect(claims.exp == Self.rfcExp)
        #expect(claims[string: "iss"] == "joe")
        #expect(claims.value("http://example.com/is_root") == .bool(true))
        #expect(claims.subject == nil)
    }

    @Test func rfc7515AppendixA1_isExpired_atItsExp() {
        let verifier = JWTVerifier(key: .hmac(secret: Self.rfcKey), options: JWTVerifierOptions())
        #expect(verifier.verify(Self.rfcToken, now: Self.rfcExp).failure == .expired)
    }

    @Test func rfc7515AppendixA1_tamperingAnyByte_fails() {
        let verifier = JWTVerifier(key: .hmac(secret: Self.rfcKey), options: JWTVerifierOptions())
        let original = Array(Self.rfcToken.utf8)
        for index in original.indices {
            // A neighbouring alphabet character and a byte outside the alphabet.
            for replacement in [original[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A"), UInt8(ascii: "*")] {
                var tampered = original
                tampered[index] = replacement
                #expect(!verifier.verify(tampered, now: Self.rfcExp - 1).isSuccess, "byte \(index)")
            }
        }
    }

    @Test func signer_matchesAnIndependentHMAC_andVerifies() throws {
        let claims = #"{"sub":"user-1","exp":1700003600}"#
        let token = JWTSigner.hs256(claimsJSON: claims, secret: Tokens.secret)
        #expect(token == Tokens.hs256(claims))
        let verified = try Tokens.hs256Verifier().verify(token, now: Tokens.now).get()
        #expect(verified.subject == "user-1")
    }

    @Test func emptySecret_stillComputesHMAC() throws {
        let token = JWTSigner.hs256(claimsJSON: Tokens.validPayload, secret: [])
        #expect(token == Tokens.hs256(Tokens.validPayload, secret: []))
        #expect(JWTVerifier(key: .hmac(secret: []), options: .init()).verify(token, now: Tokens.now).isSuccess)
    }

    @Test func wrongSecret_isBadSignature() {
        let token = Tokens.hs256(Tokens.validPayload, secret: Array("another-secret".utf8))
        #expect(Tokens.hs256Verifier().verify(token, now: Tokens.now).failure == .badSignature)
    }

    @Test func truncatedOrExtendedMAC_isBadSignature() {
        let header = Tokens.encode(#"{"alg":"HS256"}"#), payload = Tokens.encode(Tokens.validPayload)
        let mac = Tokens.hmacSHA256(key: Tokens.secret, Array("\(header).\(payload)".utf8))
        for signature in [Array(mac.prefix(31)), mac + [0], Array(mac.prefix(16))] {
            let token = "\(header).\(payload).\(Base64URL.encode(signature))"
            #expect(Tokens.hs256Verifier().verify(token, now: Tokens.now).failure == .badSignature)
        }
        #expect(Tokens.hs256Verifier().verify("\(header).\(payload).\(Base64URL.encode(mac))", now: Tokens.now).isSuccess)
    }

    @Test func keyAlgorithm_isHS256() {
        #expect(JWTKey.hmac(secret: Tokens.secret).algorithm == .hs256)
    }
}
