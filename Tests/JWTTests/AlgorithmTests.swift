import JWT
import Testing

/// The key decides the algorithm; the token's header can only agree (RFC 8725 §2.1, §3.1).
struct AlgorithmTests {
    @Test(arguments: ["none", "None", "NONE", "nOnE"])
    func algNone_isRejected_inAnyCasing(alg: String) throws {
        let header = #"{"alg":"\#(alg)","typ":"JWT"}"#
        let unsigned = Tokens.encode(header) + "." + Tokens.encode(Tokens.validPayload) + "."
        let withJunkSignature = unsigned + "AAAA"
        let withRealMAC = Tokens.hs256(Tokens.validPayload, header: header)
        let verifiers = [Tokens.hs256Verifier(), JWTVerifier(key: try TestKeys.rsa.jwtKey, options: .init()),
                         JWTVerifier(key: try TestKeys.ec.jwtKey, options: .init())]
        for verifier in verifiers {
            // The `alg: none` shape has an empty signature segment, refused before anything else.
            #expect(verifier.verify(unsigned, now: Tokens.now).failure == .malformed)
            #expect(verifier.verify(withJunkSignature, now: Tokens.now).failure == .unsupportedAlgorithm)
            #expect(verifier.verify(withRealMAC, now: Tokens.now).failure == .unsupportedAlgorithm)
        }
    }

    @Test(arguments: ["hs256", "Hs256", "HS256 ", " HS256", "HS384", "HS512", "RS256", "ES256", "PS256", "EdDSA", ""])
    func anyAlgOtherThanExactlyTheKeys_isUnsupported(alg: String) {
        let token = Tokens.hs256(Tokens.validPayload, header: #"{"alg":"\#(alg)"}"#)
        #expect(Tokens.hs256Verifier().verify(token, now: Tokens.now).failure == .unsupportedAlgorithm)
    }

    @Test func hs256Token_presentedToRSAKey_isRejected() throws {
        let verifier = JWTVerifier(key: try TestKeys.rsa.jwtKey, options: .init())
        #expect(verifier.verify(Tokens.hs256(Tokens.validPayload), now: Tokens.now).failure == .unsupportedAlgorithm)
    }

    @Test func hs256Token_macedWithThePublicKeyPEM_isRejectedByRSAAndECKeys() throws {
        // The classic confusion attack: the attacker knows the public key and uses its PEM
        // bytes as an HMAC secret, hoping the verifier follows the header's `alg`.
        for pair in [TestKeys.rsa, TestKeys.ec] {
            let token = Tokens.hs256(Tokens.validPayload, header: #"{"alg":"HS256"}"#, secret: pair.publicPEM)
            let verifier = JWTVerifier(key: try pair.jwtKey, options: .init())
            #expect(verifier.verify(token, now: Tokens.now).failure == .unsupportedAlgorithm)
        }
    }

    @Test func rs256Token_presentedToHMACKey_isRejected() {
        #expect(Tokens.hs256Verifier().verify(Tokens.rs256(Tokens.validPayload), now: Tokens.now).failure == .unsupportedAlgorithm)
    }

    @Test func rs256AndES256Tokens_areNotInterchangeable() throws {
        let rsaVerifier = JWTVerifier(key: try TestKeys.rsa.jwtKey, options: .init())
        let ecVerifier = JWTVerifier(key: try TestKeys.ec.jwtKey, options: .init())
        #expect(rsaVerifier.verify(Tokens.es256(Tokens.validPayload), now: Tokens.now).failure == .unsupportedAlgorithm)
        #expect(ecVerifier.verify(Tokens.rs256(Tokens.validPayload), now: Tokens.now).failure == .unsupportedAlgorithm)
        // Even when the header claims the right algorithm, the other key's signature fails.
        let relabelled = Tokens.make(header: #"{"alg":"RS256"}"#, payload: Tokens.validPayload) { TestKeys.ec.signSHA256($0) }
        #expect(rsaVerifier.verify(relabelled, now: Tokens.now).failure == .badSignature)
    }

    @Test func embeddedJWKHeader_isIgnored_keyStaysPinned() throws {
        let header = #"{"alg":"ES256","jwk":{"kty":"EC","crv":"P-256"},"kid":"attacker"}"#
        let token = Tokens.es256(Tokens.validPayload, header: header, key: TestKeys.otherEC)
        let verifier = JWTVerifier(key: try TestKeys.ec.jwtKey, options: .init())
        #expect(verifier.verify(token, now: Tokens.now).failure == .badSignature)
    }

    @Test(arguments: [#"{"typ":"JWT"}"#, #"{"alg":null}"#, #"{"alg":["HS256"]}"#, #"{"alg":256}"#, #"[]"#, #""HS256""#,
                      #"{"alg":"HS256","alg":"none"}"#, #"{"alg":"none","alg":"HS256"}"#, "", "{", #"{"alg":"HS256"} x"#])
    func headerWithoutExactlyOneStringAlg_isMalformed(header: String) {
        let token = Tokens.hs256(Tokens.validPayload, header: header)
        #expect(Tokens.hs256Verifier().verify(token, now: Tokens.now).failure == .malformed)
    }

    @Test func critHeader_isRejected() {
        for crit in [#"["exp"]"#, "[]", #""b64""#] {
            let token = Tokens.hs256(Tokens.validPayload, header: #"{"alg":"HS256","crit":\#(crit)}"#)
            #expect(Tokens.hs256Verifier().verify(token, now: Tokens.now).failure == .malformed)
        }
    }

    @Test(arguments: ["JWT", "jwt", "Jwt", "at+jwt", "AT+JWT", "application/at+jwt", "application/jwt", "Application/JWT"])
    func typJWT_orAccessToken_isAccepted_caseInsensitively(typ: String) {
        let token = Tokens.hs256(Tokens.validPayload, header: #"{"alg":"HS256","typ":"\#(typ)"}"#)
        #expect(Tokens.hs256Verifier().verify(token, now: Tokens.now).isSuccess)
    }

    @Test(arguments: [#""JOSE""#, #""logout+jwt""#, #""application/""#, #""application/JOSE""#, #""JWE""#, #""JWT ""#,
                      #""""#, "1", "null", #""jwt\u0000""#])
    func otherTyp_isMalformed(typ: String) {
        let token = Tokens.hs256(Tokens.validPayload, header: #"{"alg":"HS256","typ":\#(typ)}"#)
        #expect(Tokens.hs256Verifier().verify(token, now: Tokens.now).failure == .malformed)
    }
}
