import JWT
import Testing

/// Loading public keys: each key type maps to exactly one algorithm, anything else is refused.
struct JWTKeyTests {
    @Test func rsaPublicKey_isPinnedToRS256_andECP256ToES256() throws {
        #expect(try JWTKey.publicKey(pem: TestKeys.rsa.publicPEM).algorithm == .rs256)
        #expect(try JWTKey.publicKey(pem: TestKeys.ec.publicPEM).algorithm == .es256)
    }

    @Test func garbageOrEmptyPEM_isInvalidPEM() {
        for pem in [[], Array("hello".utf8), Array("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n".utf8),
                    Array(TestKeys.rsa.publicPEM.prefix(100))] {
            #expect(throws: JWTKeyError.invalidPEM) { try JWTKey.publicKey(pem: pem) }
        }
    }

    @Test func privateKeyPEM_isNotAcceptedAsAPublicKey() {
        #expect(throws: JWTKeyError.invalidPEM) { try JWTKey.publicKey(pem: TestKeys.ec.privatePEM) }
    }

    @Test func rsaUnder2048Bits_isTooSmall() {
        #expect(throws: JWTKeyError.keyTooSmall) { try JWTKey.publicKey(pem: TestKeyPair.rsa(bits: 1024).publicPEM) }
    }

    @Test(arguments: ["P-384", "secp256k1", "brainpoolP256r1"])
    func ecKeyOnAnotherCurve_isUnsupportedCurve(curve: String) {
        #expect(throws: JWTKeyError.unsupportedCurve) { try JWTKey.publicKey(pem: TestKeyPair.ec(curve: curve).publicPEM) }
    }

    @Test func ed25519Key_isUnsupportedKeyType() {
        #expect(throws: JWTKeyError.unsupportedKeyType) { try JWTKey.publicKey(pem: TestKeyPair.ed25519().publicPEM) }
    }

    @Test func oneKey_verifiesConcurrently() async throws {
        let hmac = Tokens.hs256Verifier()
        let ec = JWTVerifier(key: try TestKeys.ec.jwtKey, options: .init())
        let hmacToken = Tokens.hs256(Tokens.validPayload), ecToken = Tokens.es256(Tokens.validPayload)
        let failures = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var failed = 0
                    for round in 0..<200 {
                        if !hmac.verify(hmacToken, now: Tokens.now).isSuccess { failed += 1 }
                        if round % 10 == 0, !ec.verify(ecToken, now: Tokens.now).isSuccess { failed += 1 }
                    }
                    return failed
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
    }
}
