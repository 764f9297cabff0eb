import JWT
import Testing

/// RS256 and ES256 with keys generated at test time, plus the RFC 7515 A.3 ES256 vector.
struct PublicKeyTests {
    @Test func rs256_validToken_verifies() throws {
        let verifier = JWTVerifier(key: try TestKeys.rsa.jwtKey, options: .init())
        let claims = try verifier.verify(Tokens.rs256(Tokens.validPayload), now: Tokens.now).get()
        #expect(claims.subject == "user-1")
        #expect(claims.exp == 1_700_003_600)
    }

    @Test func rs256_otherKeysSignature_isBadSignature() throws {
        let verifier = JWTVerifier(key: try TestKeys.rsa.jwtKey, options: .init())
        let token = Tokens.rs256(Tokens.validPayload, key: TestKeys.otherRSA)
        #expect(verifier.verify(token, now: Tokens.now).failure == .badSignature)
    }

    @Test func rs256_tamperedPayload_isBadSignature() throws {
        let verifier = JWTVerifier(key: try TestKeys.rsa.jwtKey, options: .init())
        let parts = Tokens.rs256(Tokens.validPayload).split(separator: ".")
        let forged = "\(parts[0]).\(Tokens.encode(#"{"sub":"admin","exp":1700003600}"#)).\(parts[2])"
        #expect(verifier.verify(forged, now: Tokens.now).failure == .badSignature)
    }

    @Test func rs256_truncatedSignature_isBadSignature() throws {
        let verifier = JWTVerifier(key: try TestKeys.rsa.jwtKey, options: .init())
        let header = Tokens.encode(#"{"alg":"RS256"}"#), payload = Tokens.encode(Tokens.validPayload)
        let signature = TestKeys.rsa.signSHA256(Array("\(header).\(payload)".utf8))
        let token = "\(header).\(payload).\(Base64URL.encode(signature.dropLast()))"
        #expect(verifier.verify(token, now: Tokens.now).failure == .badSignature)
    }

    @Test func es256_validToken_verifies() throws {
        let verifier = JWTVerifier(key: try TestKeys.ec.jwtKey, options: .init())
        #expect(try verifier.verify(Tokens.es256(Tokens.validPayload), now: Tokens.now).get().subject == "user-1")
    }

    @Test func es256_derSignature_isRejected() throws {
        let verifier = JWTVerifier(key: try TestKeys.ec.jwtKey, options: .init())
        let token = Tokens.make(header: #"{"alg":"ES256"}"#, payload: Tokens.validPayload) { TestKeys.ec.signSHA256($0) }
        #expect(verifier.verify(token, now: Tokens.now).failure == .badSignature)
    }

    @Test func es256_negatedS_isAccepted_likeOpenSSL() throws {
        // ECDSA signatures are malleable: (r, n − s) verifies too. JWS does not require low-S.
        let verifier = JWTVerifier(key: try TestKeys.ec.jwtKey, options: .init())
        let token = Tokens.make(header: #"{"alg":"ES256"}"#, payload: Tokens.validPayload) {
            TestKeys.ec.signES256($0, negateS: true)
        }
        #expect(verifier.verify(token, now: Tokens.now).isSuccess)
    }

    @Test func es256_otherKeysSignature_isBadSignature() throws {
        let verifier = JWTVerifier(key: try TestKeys.ec.jwtKey, options: .init())
        let token = Tokens.es256(Tokens.validPayload, key: TestKeys.otherEC)
        #expect(verifier.verify(token, now: Tokens.now).failure == .badSignature)
    }

    @Test func es256_degenerateSignatures_areBadSignatures() throws {
        let verifier = JWTVerifier(key: try TestKeys.ec.jwtKey, options: .init())
        let order = Base64URL.decode("_____wAAAAD__________7zm-q2nF56E87nKwvxjJVE")! // n of P-256
        for signature in [[UInt8](repeating: 0, count: 64), [UInt8](repeating: 0xFF, count: 64), order + order,
                          [UInt8](repeating: 0, count: 63), [UInt8](repeating: 1, count: 65)] {
            let token = Tokens.make(header: #"{"alg":"ES256"}"#, payload: Tokens.validPayload) { _ in signature }
            #expect(verifier.verify(token, now: Tokens.now).failure == .badSignature)
        }
    }

    // RFC 7515 Appendix A.3 (its signature happens to be the high-S one of the pair).
    static let a3Signing = "eyJhbGciOiJFUzI1NiJ9"
        + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    static let a3Signature = "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
    static let a3LowSSignature = "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmU69fgrc8OPGycO0lD3tat_FoFp57SETepkeks4eL_QfA"

    /// The A.3 JWK (x, y) as a SubjectPublicKeyInfo PEM: the fixed P-256 SPKI prefix, then
    /// the uncompressed point 04 || x || y.
    static func a3PEM() -> [UInt8] {
        let x = Base64URL.decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")!
        let y = Base64URL.decode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")!
        let prefix: [UInt8] = [0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
                               0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04]
        var base64 = Base64URL.encode(prefix + x + y).map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 }
        while base64.count % 4 != 0 { base64.append("=") }
        return Array("-----BEGIN PUBLIC KEY-----\n\(String(base64))\n-----END PUBLIC KEY-----\n".utf8)
    }

    @Test func rfc7515AppendixA3_verifies_inBothSForms() throws {
        let key = try JWTKey.publicKey(pem: Self.a3PEM())
        #expect(key.algorithm == .es256)
        let verifier = JWTVerifier(key: key, options: JWTVerifierOptions(issuer: "joe"))
        for signature in [Self.a3Signature, Self.a3LowSSignature] {
            let claims = try verifier.verify("\(Self.a3Signing).\(signature)", now: 1_300_819_379).get()
            #expect(claims[string: "iss"] == "joe")
        }
    }

    @Test func rfc7515AppendixA3_tamperedSignature_fails() throws {
        let verifier = JWTVerifier(key: try JWTKey.publicKey(pem: Self.a3PEM()), options: .init())
        var signature = Base64URL.decode(Self.a3Signature)!
        signature[10] ^= 1
        let token = "\(Self.a3Signing).\(Base64URL.encode(signature))"
        #expect(verifier.verify(token, now: 1_300_819_379).failure == .badSignature)
    }
}
